//! awsenv: AWS CLI profiles as shell environment variables.
//!
//! The data flow: argv → `cli` → files (`config`) → `resolve` (a Plan, pure) → `source` (fetch,
//! through `cache`) → `exports` (the changes) → `shell` (text on stdout).
//!
//! The layers, bottom up; each uses only those below it (`module-cycles src --top cmd --strict`,
//! run by the test command, fails on an arrow that runs the other way):
//! - foundation: `error`, `numbers`, `encoding`, `text` (what a terminal may show), `env` (the
//!   environment as a value), `tty`, `procs`, `private_files` (0600 files in a directory reached
//!   without symlinks), `credentials`, `cache` (the shared credential cache on top of them);
//! - config: `config` (locate, parse, model, index, `edit` — the one structure-safe writer of the
//!   user's files — and `shadow`, awsenv's copies of them);
//! - plan: `settings` (values several layers read), `resolve` (name → Plan), `lint`, `keys::line`
//!   (the key store's `credential_process` line);
//! - wire: `helper` (the protocol with the executables beside awsenv, with deadlines), `aws`
//!   (http, sts, sso, portal, signin, iam, endpoints, and `aws::helper`, `awsenv-fetch`'s requests),
//!   `loopback` (the one hardened local listener);
//! - sources: `source` (one file per credential source), `sso` (tokens, login, portal, sync),
//!   `keys` (the store, in `awsenv-keys`);
//! - acquiring: `acquire` (a profile's credentials for a caller: person, hook, background, server);
//! - outputs: `exports`, `shell`, `previous` (what the shell was before), `listing`, `complete`,
//!   `picker`, `prompt`, `suggest`;
//! - commands: `cli`, `cmd` (argument handling and printing), `serve` (the credential endpoint).

pub mod acquire;
pub mod aws;
pub mod browser;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod complete;
pub mod config;
pub mod credentials;
pub mod encoding;
pub mod env;
pub mod error;
pub mod exports;
pub mod helper;
pub mod keys;
pub mod lint;
pub mod listing;
pub mod loopback;
pub mod numbers;
pub mod picker;
pub mod previous;
pub mod private_files;
pub mod procs;
pub mod prompt;
pub mod resolve;
pub mod serve;
pub mod settings;
pub mod shell;
pub mod signin;
pub mod source;
pub mod sso;
pub mod suggest;
pub mod text;
pub mod tty;

//! awsenv: AWS CLI profiles as shell environment variables.
//!
//! The data flow: argv → `cli` → files (`config`) → `resolve` (a Plan, pure) → `source` (fetch,
//! through `cache`) → `exports` (the changes) → `shell` (text on stdout).

pub mod aws;
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
pub mod source;
pub mod sso;
pub mod suggest;
pub mod text;
pub mod tty;

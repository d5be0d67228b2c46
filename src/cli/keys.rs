//! `awsenv keys`: its subcommands and their arguments.

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Store keys for PROFILE, typed on the terminal (never on the command line)
    Add(KeysStoreArgs),
    /// Move PROFILE's keys out of the credentials (or config) file into the store
    Import(KeysStoreArgs),
    /// The profiles with stored keys and their key ids (never a secret)
    List,
    /// Remove PROFILE's stored keys and its credential_process line
    Rm(KeysProfileArgs),
    /// Replace PROFILE's key with a new one (IAM CreateAccessKey, checked with
    /// GetCallerIdentity to belong to the same IAM user, stored, then the old one deleted). A
    /// user with an MFA device (mfa_serial) rotates through the day's MFA session, asking for a
    /// code when there is none, as "manage your own keys only with MFA" policies require
    Rotate(KeysRotateArgs),
}

#[derive(Debug, Args)]
pub struct KeysRotateArgs {
    pub profile: String,
    /// The MFA code, when the user has an MFA device and no MFA session is cached
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeysStoreArgs {
    pub profile: String,
    /// os or file (default: AWSENV_KEY_STORE, else os)
    #[arg(long)]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeysProfileArgs {
    pub profile: String,
}

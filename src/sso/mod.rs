//! IAM Identity Center, below the commands that use it: the token cache and its renewal
//! (`token`), the login flows (`login`), and the portal's account and role listing (`portal`).
//! `login`, `use` (whose credential step offers a login on a terminal), `sso sync` and `sso add`
//! share them.

pub mod login;
pub mod portal;
pub mod sync;
pub mod token;

//! The wire: everything that talks to AWS. Only the fetch of a role, web identity, instance or
//! container credential reaches this module, so the no-network path never builds an async
//! runtime, a TLS configuration or a thread.

pub mod endpoint;
pub mod federation;
pub mod helper;
pub mod http;
pub mod iam;
pub mod metadata;
pub mod portal;
pub mod region;
pub mod signin;
pub mod sso;
pub mod sts;
mod xml;

pub use http::Http;

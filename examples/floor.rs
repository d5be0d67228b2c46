//! The floor for benchmarks: a program that locates and reads the two AWS files and does nothing
//! else. awsenv cannot be faster than this by reading less than everything... except through its
//! section index, which is why it beats the floor on large files.

pub fn main() {
    let home = std::env::var("HOME").unwrap_or_default();
    let config = std::env::var("AWS_CONFIG_FILE").unwrap_or_else(|_| format!("{home}/.aws/config"));
    let credentials =
        std::env::var("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|_| format!("{home}/.aws/credentials"));
    let a = std::fs::read(config).map(|b| b.len()).unwrap_or(0);
    let b = std::fs::read(credentials).map(|b| b.len()).unwrap_or(0);
    std::hint::black_box(a + b);
}

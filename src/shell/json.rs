//! One JSON object (members separated by the caller): a set variable maps to its value, an unset
//! one to null.

use super::{Shell, Unrepresentable};

pub struct Json;

impl Shell for Json {
    fn set(&self, out: &mut String, name: &str, value: &str) -> Result<(), Unrepresentable> {
        out.push_str(&serde_json::to_string(name).expect("strings serialise"));
        out.push(':');
        out.push_str(&serde_json::to_string(value).expect("strings serialise"));
        Ok(())
    }

    fn unset(&self, out: &mut String, name: &str) {
        out.push_str(&serde_json::to_string(name).expect("strings serialise"));
        out.push_str(":null");
    }
}

//! Just enough XML for the STS query protocol: the text of every leaf element, by name.

use quick_xml::Reader;
use quick_xml::events::Event;

/// (element name, text) for each leaf element, in document order; `None` if this is not XML.
pub fn leaves(body: &[u8]) -> Option<Vec<(String, String)>> {
    let mut reader = Reader::from_reader(body);
    let mut current: Option<String> = None;
    let mut text = String::new();
    let mut out = Vec::new();
    let mut saw_element = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                saw_element = true;
                current = Some(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.unescape().ok()?),
            Event::CData(c) => text.push_str(&String::from_utf8_lossy(&c.into_inner())),
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if current.as_deref() == Some(name.as_str()) {
                    out.push((name, std::mem::take(&mut text)));
                }
                current = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    saw_element.then_some(out)
}

pub fn find<'a>(leaves: &'a [(String, String)], name: &str) -> Option<&'a str> {
    leaves.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_with_entities() {
        let doc = b"<R xmlns='x'><A><B>1 &amp; 2</B><C>x</C></A></R>";
        let l = leaves(doc).unwrap();
        assert_eq!(find(&l, "B"), Some("1 & 2"));
        assert_eq!(find(&l, "C"), Some("x"));
        assert!(leaves(b"not xml at all").is_none());
    }
}

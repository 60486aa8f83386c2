//! XML answers as JSON, safe against hostile nesting: roxmltree recurses once per element level, so
//! documents nested deeper than [`MAX_DEPTH`] are refused before it runs, and the conversion is a loop.

use roxmltree::{Document, Node, NodeId};
use serde_json::{json, Map, Value};

/// Elements open at once beyond this are refused. Real answers nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, PartialEq, Eq)]
pub enum XmlProblem {
    TooDeep,
    Invalid(String),
}

/// `{name, attributes, children, text}` for the root element and, within it, each element.
pub fn to_json(text: &str) -> Result<Value, XmlProblem> {
    if element_depth(text) > MAX_DEPTH {
        return Err(XmlProblem::TooDeep);
    }
    let document = Document::parse(text).map_err(|e| XmlProblem::Invalid(e.to_string()))?;
    Ok(convert(document.root_element()))
}

/// An element under construction: its JSON fields so far.
struct Open {
    id: NodeId,
    name: String,
    attributes: Map<String, Value>,
    children: Vec<Value>,
    text: String,
}

impl Open {
    fn finish(self) -> Value {
        json!({"name": self.name, "attributes": self.attributes, "children": self.children, "text": self.text.trim()})
    }
}

/// Walks the nodes in document order with a stack of the elements still open: an element is finished
/// (and added to its parent) once a node that is not inside it comes.
fn convert(root: Node<'_, '_>) -> Value {
    let mut open: Vec<Open> = Vec::new();
    let close_until = |open: &mut Vec<Open>, parent: Option<NodeId>| {
        while open.last().is_some_and(|top| Some(top.id) != parent) {
            let Some(done) = open.pop() else { break };
            match open.last_mut() {
                Some(above) => above.children.push(done.finish()),
                None => return Some(done.finish()),
            }
        }
        None
    };
    for node in root.descendants() {
        let parent = node.parent().map(|p| p.id());
        if node.is_element() {
            if node != root {
                close_until(&mut open, parent);
            }
            open.push(Open {
                id: node.id(),
                name: node.tag_name().name().to_string(),
                attributes: node.attributes().map(|a| (a.name().to_string(), Value::from(a.value()))).collect(),
                children: Vec::new(),
                text: String::new(),
            });
        } else if let (true, Some(text)) = (node.is_text(), node.text()) {
            close_until(&mut open, parent);
            if let Some(top) = open.last_mut() {
                top.text.push_str(text);
            }
        }
    }
    close_until(&mut open, None).unwrap_or(Value::Null)
}

/// The deepest nesting of elements, read as roxmltree reads them: comments, CDATA sections,
/// processing instructions, declarations and quoted attribute values hold no elements. An
/// unterminated construct ends the count (roxmltree stops there too).
fn element_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(offset) = text[at..].find('<') {
        let start = at + offset;
        let rest = &text[start..];
        at = if rest.starts_with("<!--") {
            past(text, start + 4, "-->")
        } else if rest.starts_with("<![CDATA[") {
            past(text, start + 9, "]]>")
        } else if rest.starts_with("<?") {
            past(text, start + 2, "?>")
        } else if rest.starts_with("<!") {
            past(text, start + 2, ">")
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            past(text, start + 2, ">")
        } else {
            let (end, self_closing) = start_tag_end(text, start + 1);
            if !self_closing {
                depth += 1;
                deepest = deepest.max(depth);
            }
            end
        };
    }
    deepest
}

/// Just past the next `marker` from `from`, or the end of `text`.
fn past(text: &str, from: usize, marker: &str) -> usize {
    text.get(from..).and_then(|rest| rest.find(marker)).map_or(text.len(), |i| from + i + marker.len())
}

/// Just past the `>` ending a start tag (skipping quoted values), and whether it was `/>`.
fn start_tag_end(text: &str, from: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return (i + 1, i > from && bytes[i - 1] == b'/'),
            (None, _) => {}
        }
    }
    (text.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_elements_only() {
        assert_eq!(element_depth("<a><b/><c x='>' y=\"/>\"><d></d></c></a>"), 3);
        assert_eq!(element_depth("<a><!-- <b><b><b> --><![CDATA[<c><c>]]><?pi <d>?></a>"), 1);
        assert_eq!(element_depth(&"<a>".repeat(300_000)), 300_000);
        assert_eq!(element_depth("<a><b"), 2);
    }

    #[test]
    fn hostile_nesting_is_refused_before_parsing_and_allowed_nesting_converts() {
        assert_eq!(to_json(&"<a>".repeat(300_000)), Err(XmlProblem::TooDeep));
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        let mut value = &to_json(&deep).unwrap();
        for _ in 1..MAX_DEPTH {
            value = &value["children"][0];
        }
        assert_eq!(value["children"], json!([]));
    }

    #[test]
    fn text_and_attributes_belong_to_their_own_element() {
        assert_eq!(
            to_json("<r id=\"7\"> a <v>hi</v> b </r>").unwrap(),
            json!({"name": "r", "attributes": {"id": "7"}, "text": "a  b", "children": [
                {"name": "v", "attributes": {}, "children": [], "text": "hi"}
            ]})
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_gets_an_answer(text in "[a<>/!?\\[\\]'\" =-]{0,400}|\\PC{0,200}") {
            let _ = to_json(&text);
        }
    }
}

//! JSON pointers back to lines and columns of the source text.
//!
//! Parsing into `serde_json::Value` forgets where things were; when there is something to
//! report, the source is read once more by an event parser that keeps positions, and each
//! pointer is matched against the path of every node. JSON is YAML here, so one reader serves
//! both.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::Location;

/// Where each pointer is in `source`: its node, or the deepest enclosing node found.
pub fn locate_all(source: &str, pointers: &[&str]) -> Vec<Option<Location>> {
    let targets: Vec<Vec<String>> = pointers.iter().map(|pointer| segments(pointer)).collect();
    let mut locator = Locator {
        targets: &targets,
        found: vec![None; targets.len()],
        path: Vec::new(),
        frames: Vec::new(),
    };
    let mut parser = Parser::new_from_str(source);
    // A source the event parser cannot read still gets whatever was found before the error.
    let _ = parser.load(&mut locator, false);
    locator
        .found
        .into_iter()
        .map(|found| found.map(|(_, marker)| location(source, marker)))
        .collect()
}

fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The marker's line and column count characters; the snippet renderer wants a byte offset.
fn location(source: &str, marker: Marker) -> Location {
    let line = marker.line().max(1);
    let column = marker.col() + 1;
    let line_start = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>();
    let offset = source
        .get(line_start..)
        .and_then(|rest| {
            rest.char_indices()
                .nth(column - 1)
                .map(|(at, _)| line_start + at)
        })
        .unwrap_or(line_start);
    Location {
        line,
        column,
        offset,
    }
}

enum Frame {
    Mapping { key: Option<String> },
    Sequence { index: usize },
}

struct Locator<'t> {
    targets: &'t [Vec<String>],
    /// Per target: how many segments matched, and where.
    found: Vec<Option<(usize, Marker)>>,
    /// Path of the container the parser is in.
    path: Vec<String>,
    frames: Vec<Frame>,
}

impl Locator<'_> {
    /// Records `marker` for every target that `path` (of a node or key) is a prefix of.
    fn record(&mut self, path: &[String], marker: Marker) {
        for (target, found) in self.targets.iter().zip(self.found.iter_mut()) {
            let matches =
                target.len() >= path.len() && target.iter().zip(path).all(|(a, b)| a == b);
            let deeper = found.is_none_or(|(depth, _)| path.len() > depth);
            if matches && deeper {
                *found = Some((path.len(), marker));
            }
        }
    }

    /// The segment the next node takes in its parent, or `None` when it is a mapping key.
    fn next_segment(&self) -> Option<Option<String>> {
        match self.frames.last() {
            None => Some(None),
            Some(Frame::Mapping { key: None }) => None,
            Some(Frame::Mapping { key: Some(key) }) => Some(Some(key.clone())),
            Some(Frame::Sequence { index }) => Some(Some(index.to_string())),
        }
    }

    fn finish_value(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Mapping { key }) => *key = None,
            Some(Frame::Sequence { index }) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Locator<'_> {
    fn on_event(&mut self, event: Event, marker: Marker) {
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if starts_node {
            let Some(segment) = self.next_segment() else {
                // A mapping key: the node it names is located at the key.
                let key = match &event {
                    Event::Scalar(text, ..) => text.clone(),
                    _ => String::new(),
                };
                let mut path = self.path.clone();
                path.push(key.clone());
                self.record(&path, marker);
                if let Some(Frame::Mapping { key: slot }) = self.frames.last_mut() {
                    *slot = Some(key);
                }
                return;
            };
            let mut path = self.path.clone();
            path.extend(segment.clone());
            // A mapping value's key was recorded at the same depth first, and stays.
            self.record(&path, marker);
            match event {
                Event::MappingStart(..) => {
                    self.path.extend(segment);
                    self.frames.push(Frame::Mapping { key: None });
                }
                Event::SequenceStart(..) => {
                    self.path.extend(segment);
                    self.frames.push(Frame::Sequence { index: 0 });
                }
                _ => self.finish_value(),
            }
            return;
        }
        if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            self.frames.pop();
            if !self.frames.is_empty() || !self.path.is_empty() {
                self.path.pop();
            }
            self.finish_value();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::locate_all;

    #[test]
    fn finds_keys_items_and_the_nearest_enclosing_node() {
        let yaml = "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [x, y]\n";
        let found = locate_all(
            yaml,
            &[
                "/components/schemas/A/type",
                "/components/schemas/A/required/1",
                "/components/schemas/A/nothing/here",
            ],
        );
        let lines: Vec<_> = found
            .iter()
            .map(|l| l.map(|l| (l.line, l.column)))
            .collect();
        assert_eq!(lines, [Some((5, 7)), Some((6, 21)), Some((4, 5))]);
    }

    #[test]
    fn reads_json_too() {
        let json = "{\n  \"paths\": {\n    \"/a~b/c\": {\"get\": {}}\n  }\n}";
        let found = locate_all(json, &["/paths/~1a~0b~1c/get"]);
        assert_eq!(found[0].map(|l| (l.line, l.column)), Some((3, 16)));
    }
}

#[cfg(test)]
mod flow_tests {
    use super::locate_all;

    #[test]
    fn finds_keys_in_flow_mappings() {
        let yaml = "openapi: 3.0.0\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: \"#/components/schemas/Missing\"}\n";
        let found = locate_all(
            yaml,
            &[
                "/components/schemas/A/properties/b",
                "/components/schemas/A",
            ],
        );
        let lines: Vec<_> = found
            .iter()
            .map(|l| l.map(|l| (l.line, l.column)))
            .collect();
        assert_eq!(lines, [Some((9, 9)), Some((6, 5))]);
    }
}

//! JSON pointers back to lines and columns of the source text.
//!
//! Parsing into `serde_json::Value` forgets where things were; when there is something to
//! report, the source is read once more by a reader that keeps positions, and each pointer is
//! matched against the path of every node. YAML is read by yaml-rust2's event parser; JSON by a
//! scanner of its own, as yaml-rust2 reads JSON (YAML's flow style) only 255 levels deep, where
//! documents may nest to `load::MAX_NESTING`. Both are read one step at a time, never
//! recursively.

use yaml_rust2::parser::{Event, Parser};

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
    if source.trim_start().starts_with('{') {
        json_steps(source, |step, at| locator.step(step, at));
    } else {
        yaml_steps(source, |step, at| locator.step(step, at));
    }
    locator
        .found
        .into_iter()
        .map(|found| found.map(|(_, at)| location(source, at)))
        .collect()
}

fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// A line (from 1) and a column (in characters, from 0).
#[derive(Clone, Copy)]
struct Position {
    line: usize,
    column: usize,
}

/// What the locator needs to know of the source, in document order.
enum Step {
    Scalar(String),
    Alias,
    Mapping,
    Sequence,
    End,
}

/// The source as YAML, read by yaml-rust2's parser an event at a time rather than through
/// `Parser::load`, which recurses once a level. A source it cannot read still gets whatever
/// was found before the error.
fn yaml_steps(source: &str, mut step: impl FnMut(Step, Position)) {
    let mut parser = Parser::new_from_str(source);
    while let Ok((event, marker)) = parser.next_token() {
        let at = Position {
            line: marker.line(),
            column: marker.col(),
        };
        match event {
            Event::Scalar(text, ..) => step(Step::Scalar(text), at),
            Event::Alias(_) => step(Step::Alias, at),
            Event::MappingStart(..) => step(Step::Mapping, at),
            Event::SequenceStart(..) => step(Step::Sequence, at),
            Event::MappingEnd | Event::SequenceEnd => step(Step::End, at),
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
        }
    }
}

/// The source as JSON. Commas and colons are passed over: the locator knows keys from values
/// by their order. Text that is not JSON gets steps that make some sense of it, never a panic.
fn json_steps(source: &str, mut step: impl FnMut(Step, Position)) {
    let bytes = source.as_bytes();
    let characters = |from: usize, to: usize| {
        bytes
            .get(from..to)
            .map_or(0, |run| run.iter().filter(|&&b| b & 0xC0 != 0x80).count())
    };
    let (mut index, mut line, mut column) = (0, 1, 0);
    while let Some(&byte) = bytes.get(index) {
        let at = Position { line, column };
        let end = match byte {
            b'\n' => {
                (index, line, column) = (index + 1, line + 1, 0);
                continue;
            }
            b'{' | b'[' | b'}' | b']' => {
                step(
                    match byte {
                        b'{' => Step::Mapping,
                        b'[' => Step::Sequence,
                        _ => Step::End,
                    },
                    at,
                );
                index + 1
            }
            b'"' => {
                let mut end = index + 1;
                while let Some(&byte) = bytes.get(end) {
                    match byte {
                        b'\\' => end += 2,
                        b'"' => break,
                        _ => end += 1,
                    }
                }
                let end = (end + 1).min(bytes.len());
                let text = source
                    .get(index..end)
                    .and_then(|quoted| serde_json::from_str(quoted).ok())
                    .unwrap_or_default();
                step(Step::Scalar(text), at);
                end
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => index + 1,
            _ => {
                let length = bytes
                    .get(index..)
                    .unwrap_or_default()
                    .iter()
                    .position(|b| b",:{}[]\" \t\r\n".contains(b))
                    .unwrap_or(bytes.len() - index);
                let text = source.get(index..index + length).unwrap_or_default();
                step(Step::Scalar(text.to_owned()), at);
                index + length.max(1)
            }
        };
        column += characters(index, end);
        index = end;
    }
}

/// The position's line and column count characters; the snippet renderer wants a byte offset.
fn location(source: &str, at: Position) -> Location {
    let line = at.line.max(1);
    let column = at.column + 1;
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
    found: Vec<Option<(usize, Position)>>,
    /// Path of the container the reader is in.
    path: Vec<String>,
    frames: Vec<Frame>,
}

impl Locator<'_> {
    /// Records `at` for every target that `path` (of a node or key) is a prefix of.
    fn record(&mut self, path: &[String], at: Position) {
        for (target, found) in self.targets.iter().zip(self.found.iter_mut()) {
            let matches =
                target.len() >= path.len() && target.iter().zip(path).all(|(a, b)| a == b);
            let deeper = found.is_none_or(|(depth, _)| path.len() > depth);
            if matches && deeper {
                *found = Some((path.len(), at));
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

    fn step(&mut self, step: Step, at: Position) {
        if let Step::End = step {
            self.frames.pop();
            if !self.frames.is_empty() || !self.path.is_empty() {
                self.path.pop();
            }
            self.finish_value();
            return;
        }
        let Some(segment) = self.next_segment() else {
            // A mapping key: the node it names is located at the key.
            let key = match step {
                Step::Scalar(text) => text,
                _ => String::new(),
            };
            let mut path = self.path.clone();
            path.push(key.clone());
            self.record(&path, at);
            if let Some(Frame::Mapping { key: slot }) = self.frames.last_mut() {
                *slot = Some(key);
            }
            return;
        };
        let mut path = self.path.clone();
        path.extend(segment.clone());
        // A mapping value's key was recorded at the same depth first, and stays.
        self.record(&path, at);
        match step {
            Step::Mapping => {
                self.path.extend(segment);
                self.frames.push(Frame::Mapping { key: None });
            }
            Step::Sequence => {
                self.path.extend(segment);
                self.frames.push(Frame::Sequence { index: 0 });
            }
            _ => self.finish_value(),
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
    fn reads_json_deeper_than_yaml_flow_style_goes() {
        let json = format!(
            "{{\"a\": {}1{},\n \"b\": \"\\u00e9\\\"\", \"c\": [true, -1.5e3, {{\"d\": null}}]}}",
            "[".repeat(600),
            "]".repeat(600)
        );
        let deepest = format!("/a{}", "/0".repeat(600));
        let found = locate_all(&json, &[&deepest, "/c/2/d"]);
        let second_line = json.lines().nth(1).unwrap_or_default();
        let d = second_line.find("\"d\"").unwrap_or_default() + 1;
        let lines: Vec<_> = found
            .iter()
            .map(|l| l.map(|l| (l.line, l.column)))
            .collect();
        assert_eq!(lines, [Some((1, 607)), Some((2, d))]);
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

//! `multipart/form-data` bodies and files.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::__private::join;
use crate::text::scalar_text;
use crate::{ValidationError, Value};

/// A file to upload as a part of a `multipart/form-data` body (a `format: binary` field).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct File {
    pub bytes: Vec<u8>,
    /// Sent as the part's `filename`.
    pub file_name: Option<String>,
    /// Sent as the part's `Content-Type`; `application/octet-stream` when unset.
    pub content_type: Option<String>,
}

impl File {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Outside a multipart body (where specs sometimes put `format: binary` too) a file is its
/// contents as a string.
impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::new(text.into_bytes()))
    }
}

/// A type sent as a `multipart/form-data` body: it adds its fields to a [`Multipart`].
pub trait MultipartBody {
    fn write_parts(&self, form: &mut Multipart) -> Result<(), ValidationError>;
}

/// The parts of a `multipart/form-data` body being assembled.
#[derive(Debug, Default)]
pub struct Multipart {
    pub(crate) parts: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Multipart {
    /// Adds a field: strings as they are, other scalars and objects as JSON, one part per item
    /// of a list, nothing for `None`.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), ValidationError> {
        let value = serde_json::to_value(value).map_err(|err| ValidationError {
            path: join("body", name),
            message: format!("cannot be encoded: {err}"),
        })?;
        let items = match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let mut head = format!(
                "Content-Disposition: form-data; name=\"{}\"\r\n",
                disposition_escape(name)
            );
            // OpenAPI's default for a part that is an object or a list is JSON.
            if item.is_object() || item.is_array() {
                head.push_str("Content-Type: application/json\r\n");
            }
            self.parts
                .push((head.into_bytes(), scalar_text(item).into_bytes()));
        }
        Ok(())
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &File) -> Result<(), ValidationError> {
        let content_type = file
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        if content_type.contains(['\r', '\n']) {
            return Err(ValidationError {
                path: join("body", name),
                message: "has a content type with CR or LF".to_owned(),
            });
        }
        let file_name = disposition_escape(file.file_name.as_deref().unwrap_or(name));
        let head = format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n",
            disposition_escape(name)
        );
        self.parts.push((head.into_bytes(), file.bytes.clone()));
        Ok(())
    }

    /// The body and its media type, with a boundary that occurs in no part.
    pub fn finish(self) -> (String, Vec<u8>) {
        let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
        let boundary = loop {
            seed = seed
                .wrapping_mul(0x0100_0000_01b3)
                .wrapping_add(self.parts.len() as u64 + 1);
            let candidate = format!("------------------------{seed:016x}");
            let clashes = self.parts.iter().any(|(head, body)| {
                contains(body, candidate.as_bytes()) || contains(head, candidate.as_bytes())
            });
            if !clashes {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for (head, content) in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            body.extend_from_slice(head);
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// Quotes, CR and LF in a part's name or file name, percent-encoded as browsers do.
fn disposition_escape(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn boundary(media_type: &str) -> &str {
        media_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a multipart media type")
    }

    #[test]
    fn body_holds_each_part_between_boundaries() {
        let mut form = Multipart::default();
        form.field("name", "Ada").expect("text");
        form.field("count", &2).expect("a number");
        form.field("skipped", &None::<String>).expect("nothing");
        let (media_type, body) = form.finish();
        let b = boundary(&media_type);
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n2\r\n\
             --{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body).expect("text"), expected);
    }

    #[test]
    fn lists_are_one_part_per_item_and_objects_are_json() {
        let mut form = Multipart::default();
        form.field("tag", &["a", "b"]).expect("a list");
        form.field("meta", &json!({"k": [1]})).expect("an object");
        let (media_type, body) = form.finish();
        let b = boundary(&media_type);
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":[1]}}\r\n\
             --{b}--\r\n"
        );
        assert_eq!(String::from_utf8(body).expect("text"), expected);
    }

    #[test]
    fn files_carry_their_name_type_and_bytes_unchanged() {
        let mut form = Multipart::default();
        let file = File::new(vec![0xff, 0x00, b'\r', b'\n'])
            .file_name("a\"b.bin")
            .content_type("image/png");
        form.file("upload", &file).expect("a file");
        form.file("plain", &File::new("x")).expect("a file");
        let (media_type, body) = form.finish();
        let b = boundary(&media_type);
        let mut expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a%22b.bin\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        expected.extend_from_slice(&[0xff, 0x00, b'\r', b'\n']);
        expected.extend_from_slice(
            format!(
                "\r\n--{b}\r\nContent-Disposition: form-data; name=\"plain\"; filename=\"plain\"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n--{b}--\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(body, expected);
    }

    #[test]
    fn a_file_content_type_with_a_line_break_is_refused() {
        let mut form = Multipart::default();
        let file = File::new("x").content_type("text/plain\r\nX-Injected: 1");
        let err = form.file("upload", &file).expect_err("CR LF refused");
        assert_eq!(err.path, "body.upload");
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes() {
        let mut form = Multipart::default();
        form.field("a\"\r\nb", "v").expect("text");
        let (_, body) = form.finish();
        let body = String::from_utf8(body).expect("text");
        assert!(body.contains("name=\"a%22%0D%0Ab\""), "{body}");
    }

    #[test]
    fn the_boundary_never_occurs_in_a_part() {
        let mut first = Multipart::default();
        first.field("x", "x").expect("text");
        let (media_type, _) = first.finish();
        let taken = boundary(&media_type).to_owned();
        // Same number of parts, so the first candidate would be the same boundary.
        let mut clashing = Multipart::default();
        clashing
            .field("x", &format!("before {taken} after"))
            .expect("text");
        let (media_type, body) = clashing.finish();
        let chosen = boundary(&media_type);
        assert_ne!(chosen, taken);
        let body = String::from_utf8(body).expect("text");
        assert!(body.contains(&format!("before {taken} after")));
        assert_eq!(body.matches(chosen).count(), 2);
    }

    #[test]
    fn a_file_outside_multipart_is_its_text() {
        let file: File = serde_json::from_str(r#""hello""#).expect("a string");
        assert_eq!(file.bytes, b"hello");
        assert_eq!(
            serde_json::to_string(&file).expect("serializable"),
            r#""hello""#
        );
    }
}

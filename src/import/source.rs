//! Reading the JSON and YAML that `aws` and `kubectl` print, with errors that name the
//! file, the path inside it (`services[0].deploymentConfiguration.maximumPercent`) and
//! what was expected.

use std::fmt;
use std::path::Path;

use serde_json::Value;

/// An input file that cannot be used: which file, where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub file: String,
    /// The JSON/YAML path (`services[0].desiredCount`), when the problem is at one.
    pub path: Option<String>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: `{path}`: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// A parsed input file: its name (for errors) and its root value.
#[derive(Clone, Debug)]
pub struct Document {
    pub file: String,
    pub root: Value,
}

impl Document {
    /// Reads a JSON file (what `aws ... --output json` and `kubectl ... -o json` print).
    pub fn read_json(path: &Path) -> Result<Document, ImportError> {
        let file = path.display().to_string();
        let text = read_text(path)?;
        Document::parse_json(&text, &file)
    }

    pub fn parse_json(text: &str, file: &str) -> Result<Document, ImportError> {
        let root: Value = serde_json::from_str(text).map_err(|e| ImportError {
            file: file.to_string(),
            path: None,
            message: format!(
                "not valid JSON (line {}, column {}): {}; give the output of the aws/kubectl command with --output json",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ),
        })?;
        Ok(Document {
            file: file.to_string(),
            root,
        })
    }

    /// The root as a node to walk from.
    pub fn node(&self) -> Node<'_> {
        Node {
            file: &self.file,
            path: String::new(),
            value: Some(&self.root),
        }
    }
}

/// The file's text; an unreadable or non-UTF-8 file is an error naming it.
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError {
        file: file.clone(),
        path: None,
        message: format!("cannot read the file: {e}"),
    })?;
    String::from_utf8(bytes).map_err(|_| ImportError {
        file,
        path: None,
        message: "is not UTF-8 text".to_string(),
    })
}

/// serde_json's message without its trailing " at line L column C" (we say it first).
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |at| &message[..at])
}

/// A place in a document: the value there (if any) and its path, for errors.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    file: &'a str,
    path: String,
    value: Option<&'a Value>,
}

/// What a value is, in words, for "expected X, got Y".
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("the text \"{}...\"", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

impl<'a> Node<'a> {
    /// The child at `key` (absent if this is not an object or has no such key).
    pub fn get(&self, key: &str) -> Node<'a> {
        let path = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        Node {
            file: self.file,
            path,
            value: self.value.and_then(|v| v.get(key)),
        }
    }

    /// The element at `index` of a list.
    pub fn at(&self, index: usize) -> Node<'a> {
        Node {
            file: self.file,
            path: format!("{}[{index}]", self.path),
            value: self.value.and_then(|v| v.get(index)),
        }
    }

    /// The path of this node, `.` for the root.
    pub fn path(&self) -> String {
        if self.path.is_empty() {
            ".".to_string()
        } else {
            self.path.clone()
        }
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The value, treating JSON `null` as absent (the CLI prints absent fields either way).
    pub fn value(&self) -> Option<&'a Value> {
        self.value.filter(|v| !v.is_null())
    }

    pub fn is_present(&self) -> bool {
        self.value().is_some()
    }

    /// An error at this node.
    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError {
            file: self.file.to_string(),
            path: Some(self.path()),
            message: message.into(),
        }
    }

    fn wrong(&self, expected: &str) -> ImportError {
        let got = self.value.map_or("nothing".to_string(), describe);
        self.error(format!("expected {expected}, got {got}"))
    }

    /// A required value: an error saying what was expected when it is missing.
    pub fn required(&self, expected: &str) -> Result<&'a Value, ImportError> {
        self.value().ok_or_else(|| {
            self.error(format!(
                "is missing; expected {expected} (is this the output of the right command?)"
            ))
        })
    }

    /// A list (absent: `None`).
    pub fn list(&self) -> Result<Option<Vec<Node<'a>>>, ImportError> {
        match self.value() {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some((0..items.len()).map(|i| self.at(i)).collect())),
            Some(_) => Err(self.wrong("a list")),
        }
    }

    /// An object's keys in file order (absent or not an object: empty).
    pub fn keys(&self) -> Vec<String> {
        match self.value() {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.value(), Some(Value::Object(_)))
    }

    /// Text (absent: `None`).
    pub fn text(&self) -> Result<Option<&'a str>, ImportError> {
        match self.value() {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong("text")),
        }
    }

    /// true or false (absent: `None`).
    pub fn boolean(&self) -> Result<Option<bool>, ImportError> {
        match self.value() {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong("true or false")),
        }
    }

    /// A whole number in `low..=high` (absent: `None`). Digits in a string are accepted
    /// too: the task definition prints its task-level cpu and memory as strings.
    pub fn whole(&self, low: u64, high: u64) -> Result<Option<u64>, ImportError> {
        let expected = format!("a whole number from {low} to {high}");
        let number = match self.value() {
            None => return Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) => v,
                None => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f >= 0.0 && f <= u64::MAX as f64 => f as u64,
                    _ => return Err(self.wrong(&expected)),
                },
            },
            Some(Value::String(s)) => match s.trim().parse::<u64>() {
                Ok(v) => v,
                Err(_) => return Err(self.wrong(&expected)),
            },
            Some(_) => return Err(self.wrong(&expected)),
        };
        if number < low || number > high {
            return Err(self.wrong(&expected));
        }
        Ok(Some(number))
    }
}

/// Every document of a YAML (or JSON: JSON is YAML) file, as JSON values so that one
/// walker reads both. YAML 1.2 core schema (saphyr): `500m` and `2Gi` stay text, `1.5`
/// is a number, `yes` is text.
pub fn parse_yaml_documents(text: &str, file: &str) -> Result<Vec<Value>, ImportError> {
    use saphyr::LoadableYamlNode;
    let documents = saphyr::Yaml::load_from_str(text).map_err(|e| ImportError {
        file: file.to_string(),
        path: None,
        message: format!(
            "not valid YAML (line {}, column {}): {}",
            e.marker().line(),
            e.marker().col() + 1,
            e.info()
        ),
    })?;
    documents
        .iter()
        .map(|document| yaml_to_json(document, file, ""))
        .collect()
}

fn yaml_to_json(node: &saphyr::Yaml, file: &str, path: &str) -> Result<Value, ImportError> {
    use saphyr::{Scalar, Yaml};
    let error = |message: &str| ImportError {
        file: file.to_string(),
        path: Some(if path.is_empty() {
            ".".into()
        } else {
            path.into()
        }),
        message: message.to_string(),
    };
    Ok(match node {
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
        Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => serde_json::Number::from_f64(f.into_inner())
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Yaml::Value(Scalar::String(s)) => Value::String(s.to_string()),
        Yaml::Representation(s, _, _) => Value::String(s.to_string()),
        Yaml::Tagged(_, inner) => yaml_to_json(inner, file, path)?,
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, file, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::Value(Scalar::String(s)) => s.to_string(),
                    Yaml::Value(Scalar::Integer(i)) => i.to_string(),
                    Yaml::Value(Scalar::Boolean(b)) => b.to_string(),
                    Yaml::Representation(s, _, _) => s.to_string(),
                    _ => return Err(error("a mapping key here is not plain text")),
                };
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                object.insert(key, yaml_to_json(value, file, &child)?);
            }
            Value::Object(object)
        }
        Yaml::Alias(_) => return Err(error("YAML aliases (*name) are not supported here")),
        Yaml::BadValue => return Err(error("a value here cannot be read")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_errors_name_the_place() {
        let doc = Document::parse_json(r#"{"services":[{"desiredCount":"x","n":null}]}"#, "s.json")
            .unwrap();
        let count = doc.node().get("services").at(0).get("desiredCount");
        let err = count.whole(0, 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.json: `services[0].desiredCount`: expected a whole number from 0 to 10, got the text \"x\""
        );
        assert_eq!(
            doc.node().get("services").at(0).get("n").whole(0, 1),
            Ok(None)
        );
        let err = Document::parse_json("{", "s.json").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("s.json: not valid JSON (line 1, column 1)")
        );
    }
}

//! serde's type words ("invalid type: string \"two\", expected u32") said in the user's
//! words ("this key takes a whole number from 0 to 4294967295, not \"two\" (text in
//! quotes)"), so no Rust type name reaches a user.

/// What a value serde found was, in words: `string "two"` -> `"two" (text in quotes)`.
fn found_words(found: &str) -> String {
    let found = found.trim();
    let ticked = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|rest| rest.trim().trim_matches('`').to_string())
    };
    if let Some(text) = found.strip_prefix("string ") {
        return format!("{} (text in quotes)", text.trim());
    }
    for prefix in ["integer ", "floating point ", "boolean "] {
        if let Some(value) = ticked(prefix) {
            return value;
        }
    }
    match found {
        "sequence" => "a list".to_string(),
        "map" => "a table".to_string(),
        other => other.to_string(),
    }
}

/// What the key takes, in words: `u32` -> `a whole number from 0 to 4294967295`.
fn wanted_words(expected: &str) -> String {
    let expected = expected.trim();
    match expected {
        "u8" | "u16" | "u32" => format!(
            "a whole number from 0 to {}",
            match expected {
                "u8" => u8::MAX as u64,
                "u16" => u16::MAX as u64,
                _ => u32::MAX as u64,
            }
        ),
        "u64" | "usize" => "a whole number, 0 or more".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number such as 0.25 or 3 (no quotes)".to_string(),
        "a boolean" => "true or false (no quotes)".to_string(),
        "a string" => "text in quotes".to_string(),
        "a sequence" => "a list in brackets, e.g. [\"spread:zone\", \"spread:host\"]".to_string(),
        "struct Resources" => "a table such as { cpu = 1024, memory = 4096 }".to_string(),
        other if other.starts_with("struct ") || other == "a map" => "a table of keys".to_string(),
        other => other.to_string(),
    }
}

/// `unknown variant `fast`, expected `reactive` or `periodic`` -> `"fast" is not one of
/// the allowed values: "reactive", "periodic"`.
fn variant_words(rest: &str) -> Option<String> {
    let (got, allowed) = rest.split_once(", expected ")?;
    let got = got.trim_matches('`');
    let allowed: Vec<String> = allowed
        .trim_start_matches("one of ")
        .split(['`'])
        .map(str::trim)
        .filter(|w| !w.is_empty() && *w != "," && *w != "or")
        .map(|w| format!("\"{w}\""))
        .collect();
    Some(format!(
        "\"{got}\" is not one of the allowed values: {}",
        allowed.join(", ")
    ))
}

/// serde's message in the user's words; other messages unchanged.
pub fn plain(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown variant ")
        && let Some(words) = variant_words(rest)
    {
        return words;
    }
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .or_else(|| message.strip_prefix("invalid length "));
    let Some((found, expected)) = rest.and_then(|r| r.split_once(", expected ")) else {
        return message.to_string();
    };
    let wanted = wanted_words(expected);
    let found_text = found_words(found);
    // A number in quotes for a number: say the fix.
    let quoted_number = found
        .trim()
        .strip_prefix("string ")
        .is_some_and(|t| t.trim_matches('"').parse::<f64>().is_ok())
        && (expected.starts_with('u') || expected.starts_with('i') || expected.starts_with('f'));
    let fix = if quoted_number {
        ": remove the quotes"
    } else {
        ""
    };
    format!("this key takes {wanted}, not {found_text}{fix}")
}

/// A TOML syntax message in the user's words: toml's "expected literal string" and
/// "invalid boolean, expected `true`" are what an unquoted word gets.
pub fn plain_syntax(message: &str) -> String {
    if message.contains("string values must be quoted") || message.starts_with("invalid boolean") {
        return "a bare word is not a value: put text in quotes (name = \"my-service\", mode = \"polling\"); numbers and true/false go without quotes".to_string();
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::{plain, plain_syntax};

    #[test]
    fn unquoted_words_are_explained() {
        for toml in [
            "invalid boolean, expected `true`",
            "string values must be quoted, expected literal string",
        ] {
            let words = plain_syntax(toml);
            assert!(words.contains("put text in quotes"), "{words}");
            assert!(!words.contains("expected"), "{words}");
        }
        assert_eq!(plain_syntax("duplicate key"), "duplicate key");
    }

    // Each message serde (via toml) gives for a wrong type, and what the user reads.
    #[test]
    fn type_names_become_words() {
        for (serde, user) in [
            (
                "invalid value: integer `-1`, expected u32",
                "this key takes a whole number from 0 to 4294967295, not -1",
            ),
            (
                "invalid type: floating point `1.5`, expected u32",
                "this key takes a whole number from 0 to 4294967295, not 1.5",
            ),
            (
                "invalid type: string \"0.3\", expected f64",
                "this key takes a number such as 0.25 or 3 (no quotes), not \"0.3\" (text in quotes): remove the quotes",
            ),
            (
                "invalid type: boolean `true`, expected f64",
                "this key takes a number such as 0.25 or 3 (no quotes), not true",
            ),
            (
                "invalid type: string \"spread:zone\", expected a sequence",
                "this key takes a list in brackets, e.g. [\"spread:zone\", \"spread:host\"], not \"spread:zone\" (text in quotes)",
            ),
            (
                "invalid value: integer `-3`, expected u64",
                "this key takes a whole number, 0 or more, not -3",
            ),
            (
                "invalid type: string \"yes\", expected a boolean",
                "this key takes true or false (no quotes), not \"yes\" (text in quotes)",
            ),
            (
                "invalid type: integer `4`, expected struct Resources",
                "this key takes a table such as { cpu = 1024, memory = 4096 }, not 4",
            ),
            (
                "unknown variant `fast`, expected `reactive` or `periodic`",
                "\"fast\" is not one of the allowed values: \"reactive\", \"periodic\"",
            ),
            (
                "unknown variant `spread:rack`, expected one of `binpack:memory`, `spread:zone`",
                "\"spread:rack\" is not one of the allowed values: \"binpack:memory\", \"spread:zone\"",
            ),
        ] {
            assert_eq!(plain(serde), user);
            for rust in [
                "u32", "u64", "f64", "expected", "sequence", "struct", "variant",
            ] {
                assert!(!plain(serde).contains(rust), "{rust} in {}", plain(serde));
            }
        }
        assert_eq!(plain("something else"), "something else");
    }
}

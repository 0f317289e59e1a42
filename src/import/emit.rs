//! Writes an imported scenario as TOML text in which every key carries a comment saying
//! where its value came from: a path in an input file, "default" or "assumed".

use std::fmt::Write;

/// The order sections are written in (unknown sections go last, in insertion order).
const SECTION_ORDER: &[&str] = &[
    "", // top-level keys: name, description, platform
    "cluster",
    "service",
    "deployment",
    "scheduler",
    "agent",
    "launch",
    "fargate",
    "readiness",
    "health_check",
    "draining",
    "termination",
    "failures",
    "autoscaling",
    "simulation",
];

#[derive(Clone, Debug)]
struct Entry {
    key: String,
    value: toml::Value,
    source: String,
}

/// A scenario being assembled, key by key.
#[derive(Clone, Debug, Default)]
pub struct ScenarioText {
    header: Vec<String>,
    sections: Vec<(String, Vec<Entry>)>,
    host_groups: Vec<Vec<Entry>>,
    notes: Vec<String>,
    unused: Vec<String>,
}

impl ScenarioText {
    /// A comment line at the top of the file.
    pub fn header(&mut self, line: impl Into<String>) {
        self.header.push(line.into());
    }

    /// A remark on how something was modelled (written in the header block).
    pub fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }

    /// A field the model cannot use: its path and why.
    pub fn unused(&mut self, what: impl Into<String>) {
        self.unused.push(what.into());
    }

    /// Sets dotted `key` (`cluster.host.cpu`) to `value`, saying where it came from.
    /// Setting a key again replaces it (and its source).
    pub fn set(&mut self, key: &str, value: impl Into<toml::Value>, source: impl Into<String>) {
        let (section, rest) = match key.split_once('.') {
            Some((section, rest)) => (section, rest),
            None => ("", key),
        };
        let entry = Entry {
            key: rest.to_string(),
            value: value.into(),
            source: source.into(),
        };
        let entries = match self.sections.iter().position(|(name, _)| name == section) {
            Some(at) => &mut self.sections[at].1,
            None => {
                self.sections.push((section.to_string(), Vec::new()));
                &mut self.sections.last_mut().expect("just pushed").1
            }
        };
        match entries.iter_mut().find(|e| e.key == entry.key) {
            Some(existing) => *existing = entry,
            None => entries.push(entry),
        }
    }

    /// Removes a key (when a later input shows it does not apply).
    pub fn remove(&mut self, key: &str) {
        let (section, rest) = key.split_once('.').unwrap_or(("", key));
        for (name, entries) in &mut self.sections {
            if name == section {
                entries.retain(|e| e.key != rest);
            }
        }
    }

    /// The value set for dotted `key`, if any.
    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        let (section, rest) = key.split_once('.').unwrap_or(("", key));
        self.sections
            .iter()
            .find(|(name, _)| name == section)
            .and_then(|(_, entries)| entries.iter().find(|e| e.key == rest))
            .map(|e| &e.value)
    }

    /// One `[[cluster.host_group]]` table: `(key, value, source)` in order.
    pub fn host_group(&mut self, keys: Vec<(&str, toml::Value, String)>) {
        self.host_groups.push(
            keys.into_iter()
                .map(|(key, value, source)| Entry {
                    key: key.to_string(),
                    value,
                    source,
                })
                .collect(),
        );
    }

    /// The TOML text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.header {
            comment(&mut out, line);
        }
        if !self.notes.is_empty() {
            comment(&mut out, "");
            comment(&mut out, "How the inputs were modelled:");
            for note in &self.notes {
                comment(&mut out, &format!("  - {note}"));
            }
        }
        if !self.unused.is_empty() {
            comment(&mut out, "");
            comment(
                &mut out,
                "Read but not used (deploysim's model has no place for these fields):",
            );
            for item in &self.unused {
                comment(&mut out, &format!("  - {item}"));
            }
        }
        let mut sections: Vec<&(String, Vec<Entry>)> = self.sections.iter().collect();
        sections.sort_by_key(|(name, _)| {
            SECTION_ORDER
                .iter()
                .position(|s| s == name)
                .unwrap_or(SECTION_ORDER.len())
        });
        for (name, entries) in sections {
            let holds_groups = name == "cluster" && !self.host_groups.is_empty();
            if entries.is_empty() && !holds_groups {
                continue;
            }
            if !name.is_empty() {
                let _ = writeln!(out, "\n[{name}]");
            } else {
                out.push('\n');
            }
            write_entries(&mut out, entries);
            if name == "cluster" {
                for group in &self.host_groups {
                    out.push_str("\n[[cluster.host_group]]\n");
                    write_entries(&mut out, group);
                }
            }
        }
        out
    }
}

fn comment(out: &mut String, line: &str) {
    if line.is_empty() {
        out.push_str("#\n");
    } else {
        let _ = writeln!(out, "# {line}");
    }
}

fn write_entries(out: &mut String, entries: &[Entry]) {
    for entry in entries {
        let _ = writeln!(
            out,
            "{} = {}  # {}",
            entry.key,
            entry.value,
            entry.source.replace('\n', " ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_sections_in_order_with_sources() {
        let mut text = ScenarioText::default();
        text.header("imported");
        text.set("service.desired", 3, "services[0].desiredCount (s.json)");
        text.set("name", "web", "services[0].serviceName (s.json)");
        text.set("cluster.host.cpu", 1024, "assumed");
        text.set("service.desired", 4, "again");
        text.unused("services[0].tags (s.json): labels only");
        let out = text.render();
        assert_eq!(
            out,
            "# imported\n#\n# Read but not used (deploysim's model has no place for these fields):\n\
             #   - services[0].tags (s.json): labels only\n\n\
             name = \"web\"  # services[0].serviceName (s.json)\n\n\
             [cluster]\nhost.cpu = 1024  # assumed\n\n\
             [service]\ndesired = 4  # again\n"
        );
        let parsed: toml::Table = out.parse().unwrap();
        assert_eq!(parsed["cluster"]["host"]["cpu"].as_integer(), Some(1024));
    }
}

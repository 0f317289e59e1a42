//! `cluster.instance_type`: host CPU, memory and hourly price from the table in
//! `data/ec2-instances.csv` (us-east-1, Linux, on-demand list prices; see the file's
//! header for the source and date).
//!
//! ECS registers less memory than an instance's nominal size: the kernel and the ECS
//! agent keep some before the agent registers the rest. deploysim registers
//! [`REGISTERED_MEMORY_SHARE`] of the nominal MiB, so a task sized at exactly a quarter of
//! a host does not appear to fit four times when on a real host it fits three. An explicit
//! `cluster.host.memory` (for example the `registeredResources` value of a real container
//! instance) overrides it.

/// The table, compiled in so the binary needs no data file.
const TABLE: &str = include_str!("../../data/ec2-instances.csv");

/// The share of the nominal memory an ECS container instance registers (an approximation:
/// measured instances register about 93-96%).
pub const REGISTERED_MEMORY_SHARE: f64 = 0.94;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceType {
    pub name: String,
    pub vcpu: u32,
    pub memory_gib: u32,
    /// USD per hour, Linux on-demand, us-east-1.
    pub usd_per_hour: f64,
}

impl InstanceType {
    /// ECS CPU units: 1024 per vCPU.
    pub fn cpu_units(&self) -> u32 {
        self.vcpu * 1024
    }

    /// The memory the ECS agent registers, in MiB (rounded down).
    pub fn registered_memory_mib(&self) -> u32 {
        (self.memory_gib as f64 * 1024.0 * REGISTERED_MEMORY_SHARE).floor() as u32
    }
}

/// Every row of the table, in file order.
pub fn all() -> Vec<InstanceType> {
    TABLE
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .skip(1) // the header
        .map(|line| {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let number = |i: usize| fields[i].parse::<f64>().expect("the table's numbers parse");
            InstanceType {
                name: fields[0].to_string(),
                vcpu: number(1) as u32,
                memory_gib: number(2) as u32,
                usd_per_hour: number(3),
            }
        })
        .collect()
}

/// The row for `name` (case-insensitive), or an error listing the known families.
pub fn lookup(name: &str) -> Result<InstanceType, String> {
    let wanted = name.trim().to_ascii_lowercase();
    let rows = all();
    if let Some(row) = rows.iter().find(|r| r.name == wanted) {
        return Ok(row.clone());
    }
    let mut families: Vec<&str> = rows
        .iter()
        .map(|r| r.name.split('.').next().unwrap_or(""))
        .collect();
    families.dedup();
    Err(format!(
        "\"{name}\" is not in deploysim's instance table; known families: {} (sizes large, xlarge, 2xlarge, 4xlarge; t3 also medium, no 4xlarge). For another type, set cluster.host.cpu, cluster.host.memory and cluster.host_hourly_cost instead",
        families.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_the_common_families_with_list_prices() {
        let rows = all();
        for family in [
            "m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "t3", "m6g", "c6g", "r6g",
        ] {
            assert!(
                rows.iter().any(|r| r.name == format!("{family}.xlarge")),
                "{family}"
            );
        }
        // m5.xlarge: 4 vCPU, 16 GiB, $0.192/h (us-east-1 Linux on-demand).
        let m5 = lookup("m5.xlarge").unwrap();
        assert_eq!((m5.vcpu, m5.memory_gib, m5.usd_per_hour), (4, 16, 0.192));
        assert_eq!(m5.cpu_units(), 4096);
        // 16 GiB = 16,384 MiB; 94% of it is 15,400.96, rounded down.
        assert_eq!(m5.registered_memory_mib(), 15_400);
        // Within a family, price and size double with each size step.
        let c6i_2 = lookup("C6I.2xlarge").unwrap();
        let c6i_4 = lookup("c6i.4xlarge").unwrap();
        assert_eq!(c6i_4.usd_per_hour, 2.0 * c6i_2.usd_per_hour);
        assert_eq!(c6i_4.memory_gib, 2 * c6i_2.memory_gib);
        let error = lookup("m5.metal").unwrap_err();
        assert!(error.contains("known families: m5, m6i"), "{error}");
        assert!(error.contains("cluster.host.cpu"), "{error}");
    }
}

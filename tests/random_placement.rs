//! `random` placement respects docs/model.md section 1: at t = 0 the old tasks are placed on
//! the service hosts only, never on a spare (a bug of the host scan, fixed with the
//! indexed `random`).

mod common;

use deploysim::commands::StepLog;
use deploysim::model::{Params, StepKind, World};

#[test]
fn old_tasks_start_on_service_hosts_only() {
    for placement in [r#"["random"]"#, r#"["spread:zone", "random"]"#] {
        let scenario = common::section_10(&[
            "cluster.hosts=6",
            "cluster.spare_hosts=6",
            "cluster.zones=2",
            &format!("service.placement={placement}"),
        ]);
        for replication in 0..50 {
            let mut log = StepLog::default();
            World::new(Params::new(&scenario)).run(1, replication, &mut log);
            let initial: Vec<u32> = log
                .steps
                .iter()
                .filter(|s| s.kind == StepKind::Initial)
                .map(|s| s.host.unwrap())
                .collect();
            assert_eq!(initial.len(), 3);
            assert!(
                initial.iter().all(|&h| h < 6),
                "{placement}, replication {replication}: old tasks on hosts {initial:?}"
            );
        }
    }
}

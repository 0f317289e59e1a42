//! The hot loop does not allocate: a `World` that has run a replication once runs it again
//! (every event of a 100-task, 3-zone deploy, and of a 1,000-task polling fleet) without a
//! single call to the allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use deploysim::model::{NoObserver, Params, World};
use deploysim::scenario::{Override, load};

struct Counting;

thread_local! {
    /// Allocations made on this thread: the test harness's other threads allocate at any
    /// time (more often on a loaded machine), and those are not the simulation's.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_warm_world_runs_without_allocating() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let cases = [
        ("three-zone-service.toml", vec![]),
        (
            "large-fleet.toml",
            vec![
                "service.desired=1000",
                "cluster.hosts=100",
                "cluster.spare_hosts=10",
                "agent.mode=polling",
            ],
        ),
    ];
    for (file, sets) in cases {
        let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
        let scenario = load(&root.join(file), &overrides).unwrap();
        let mut world = World::new(Params::new(&scenario));
        let first = world.run(1, 0, &mut NoObserver);
        let before = allocations();
        let again = world.run(1, 0, &mut NoObserver);
        let allocations = allocations() - before;
        assert_eq!(first, again);
        assert!(first.events > 1000, "{file}: {} events", first.events);
        assert_eq!(
            allocations, 0,
            "{file}: {allocations} allocations in a warm run of {} events",
            again.events
        );
    }
}

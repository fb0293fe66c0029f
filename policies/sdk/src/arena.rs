//! The components' allocator: talc, with free lists in front of it for
//! small blocks, plus a bump arena that holds the documents of one
//! `evaluate` call.
//!
//! Small blocks: a finding is a handful of short strings, and rules format
//! messages and build pointers all the time. Blocks of up to 256 bytes
//! come from one free list per 16-byte size class (a pop or a push), carved
//! from 64 KiB slabs; talc's general search and coalescing showed as a
//! visible share of a scan. Freed small blocks stay on their list for the
//! next allocation of their class. (Measured on the built-in packs over
//! 1,000 manifests: 10% fewer guest instructions.)
//!
//! The arena: a batch's documents (their tables of values, see
//! `document.rs`) live exactly as long as the call, so they are parsed into
//! an arena (an allocation is a pointer bump, freeing one is a no-op) and
//! the next call starts the arena over. Large blocks that are freed soon
//! after are what talc handles worst.
//!
//! Only the parse of the documents is redirected ([`scope`]). Everything
//! else — findings, a rule's temporaries, lazily initialised statics such
//! as the pack's settings — comes from the free lists and talc, so nothing that
//! outlives a call can land in memory that the next call reuses. Freeing
//! an arena block is a no-op wherever it happens; growing one copies it
//! out, so the allocator stays correct whoever holds the block.
//!
//! Without the `fast-alloc` feature, or outside WebAssembly (a pack's
//! native unit tests), [`scope`] just runs its closure and documents are
//! dropped as usual.

#[cfg(all(
    feature = "fast-alloc",
    target_family = "wasm",
    not(target_feature = "atomics")
))]
mod imp {
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    /// The first chunk: enough for the documents of a typical manifest
    /// file, so that most calls never need a second one.
    const FIRST_CHUNK: usize = 1 << 20;
    /// Chunks double, so this is never reached in practice; past it the
    /// arena hands allocations to talc.
    const MAX_CHUNKS: usize = 24;

    /// Blocks up to this size (and alignment up to 16) take the free lists.
    const SMALL_MAX: usize = 256;
    const CLASSES: usize = SMALL_MAX / 16;
    const SLAB: usize = 64 << 10;

    pub struct PackAllocator {
        talc: talc::wasm::WasmDynamicTalc,
        arena: UnsafeCell<Arena>,
        small: UnsafeCell<Small>,
    }

    /// Free lists of small blocks, one per 16-byte size class. A free
    /// block's first word holds the address of the next one (0: none).
    struct Small {
        heads: [usize; CLASSES],
        /// The unused rest of the current slab.
        cursor: usize,
        end: usize,
    }

    /// The size class of a layout that takes the free lists.
    #[inline]
    fn class_of(layout: Layout) -> Option<usize> {
        (layout.size() <= SMALL_MAX && layout.align() <= 16 && layout.size() > 0)
            .then(|| (layout.size() - 1) / 16)
    }

    // SAFETY: this build has no threads (wasm32 without the atomics
    // feature, checked by the cfg above): no two calls run at once.
    unsafe impl Sync for PackAllocator {}

    struct Arena {
        /// Whether allocations go to the arena now (inside [`super::scope`]).
        on: bool,
        /// `[start, end)` of each chunk, oldest first; each a talc block.
        chunks: [(usize, usize); MAX_CHUNKS],
        len: usize,
        /// Next free byte of the newest chunk.
        cursor: usize,
    }

    impl PackAllocator {
        pub const fn new() -> Self {
            PackAllocator {
                talc: talc::wasm::new_wasm_dynamic_allocator(),
                arena: UnsafeCell::new(Arena {
                    on: false,
                    chunks: [(0, 0); MAX_CHUNKS],
                    len: 0,
                    cursor: 0,
                }),
                small: UnsafeCell::new(Small {
                    heads: [0; CLASSES],
                    cursor: 0,
                    end: 0,
                }),
            }
        }

        #[allow(clippy::mut_from_ref)]
        fn small(&self) -> &mut Small {
            // SAFETY: as for `arena`.
            unsafe { &mut *self.small.get() }
        }

        /// A block of size class `class`: from its free list, else carved
        /// from the slab (a new slab from talc when it runs out).
        #[inline]
        fn alloc_small(&self, class: usize) -> *mut u8 {
            let small = self.small();
            let head = small.heads[class];
            if head != 0 {
                // SAFETY: `head` is a free block of this class; its first
                // word was written by `dealloc_small`.
                small.heads[class] = unsafe { *(head as *const usize) };
                return head as *mut u8;
            }
            let size = (class + 1) * 16;
            if small.end - small.cursor < size {
                // The rest of the old slab is dropped: under 256 bytes.
                // SAFETY: a valid non-zero layout.
                let slab = unsafe { self.talc.alloc(Layout::from_size_align_unchecked(SLAB, 16)) };
                if slab.is_null() {
                    return slab;
                }
                small.cursor = slab as usize;
                small.end = slab as usize + SLAB;
            }
            let block = small.cursor;
            small.cursor += size;
            block as *mut u8
        }

        #[inline]
        fn dealloc_small(&self, ptr: *mut u8, class: usize) {
            let small = self.small();
            // SAFETY: `ptr` is a block of at least 16 bytes, aligned to 16,
            // that its owner has just given up.
            unsafe { *(ptr as *mut usize) = small.heads[class] };
            small.heads[class] = ptr as usize;
        }

        #[allow(clippy::mut_from_ref)]
        fn arena(&self) -> &mut Arena {
            // SAFETY: one thread (see `Sync` above), and no method holds
            // this borrow across a call that could take it again.
            unsafe { &mut *self.arena.get() }
        }

        pub fn set_on(&self, on: bool) {
            self.arena().on = on;
        }

        /// Starts the arena over, keeping its largest chunk.
        pub fn reset(&self) {
            let arena = self.arena();
            if arena.len == 0 {
                return;
            }
            let keep = arena.chunks[arena.len - 1];
            for &(start, end) in &arena.chunks[..arena.len - 1] {
                // SAFETY: each chunk was allocated from talc with this
                // layout in `grow` and is freed once, here.
                unsafe {
                    self.talc.dealloc(
                        start as *mut u8,
                        Layout::from_size_align_unchecked(end - start, 16),
                    );
                }
            }
            arena.chunks[0] = keep;
            arena.len = 1;
            arena.cursor = keep.0;
        }

        fn contains(&self, ptr: *mut u8) -> bool {
            let arena = self.arena();
            let address = ptr as usize;
            arena.chunks[..arena.len]
                .iter()
                .any(|&(start, end)| (start..end).contains(&address))
        }

        fn bump(&self, layout: Layout) -> Option<*mut u8> {
            let arena = self.arena();
            loop {
                if arena.len > 0 {
                    let end = arena.chunks[arena.len - 1].1;
                    let start =
                        arena.cursor.checked_add(layout.align() - 1)? & !(layout.align() - 1);
                    let next = start.checked_add(layout.size())?;
                    if next <= end {
                        arena.cursor = next;
                        return Some(start as *mut u8);
                    }
                }
                self.grow(layout)?;
            }
        }

        /// Adds a chunk big enough for `layout`.
        fn grow(&self, layout: Layout) -> Option<()> {
            let arena = self.arena();
            if arena.len == MAX_CHUNKS {
                return None;
            }
            let last = match arena.len {
                0 => FIRST_CHUNK / 2,
                n => arena.chunks[n - 1].1 - arena.chunks[n - 1].0,
            };
            let size = last
                .checked_mul(2)?
                .max(layout.size().checked_add(layout.align())?);
            let chunk = Layout::from_size_align(size, 16).ok()?;
            // SAFETY: `chunk` has a non-zero size.
            let start = unsafe { self.talc.alloc(chunk) };
            if start.is_null() {
                return None;
            }
            arena.chunks[arena.len] = (start as usize, start as usize + size);
            arena.len += 1;
            arena.cursor = start as usize;
            Some(())
        }
    }

    // SAFETY: every block handed out is either talc's (and returned to
    // talc) or a fresh, suitably aligned range of an arena chunk that no
    // other live block overlaps; arena blocks are never handed to talc.
    unsafe impl GlobalAlloc for PackAllocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if self.arena().on
                && let Some(ptr) = self.bump(layout)
            {
                return ptr;
            }
            if let Some(class) = class_of(layout) {
                return self.alloc_small(class);
            }
            // SAFETY: forwarded as received.
            unsafe { self.talc.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if self.contains(ptr) {
                return;
            }
            // A block is small exactly when its layout is: `alloc` decided
            // by the same layout.
            match class_of(layout) {
                Some(class) => self.dealloc_small(ptr, class),
                // SAFETY: not an arena or small block, so talc's.
                None => unsafe { self.talc.dealloc(ptr, layout) },
            }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if !self.contains(ptr) {
                let old_class = class_of(layout);
                // SAFETY: the caller guarantees `new_size` is valid for this
                // alignment.
                let new_layout =
                    unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let new_class = class_of(new_layout);
                if old_class.is_none() && new_class.is_none() {
                    // SAFETY: a talc block staying a talc block.
                    return unsafe { self.talc.realloc(ptr, layout, new_size) };
                }
                if old_class.is_some() && old_class == new_class {
                    // Same class: the block already has room.
                    return ptr;
                }
                // SAFETY: as in `alloc`.
                let new = unsafe { self.alloc(new_layout) };
                if !new.is_null() {
                    // SAFETY: both blocks are live and distinct.
                    unsafe {
                        core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                return new;
            }
            let arena = self.arena();
            let address = ptr as usize;
            // The newest block of the newest chunk grows in place: a
            // string or array being filled while it is parsed.
            if arena.on && address + layout.size() == arena.cursor {
                let end = arena.chunks[arena.len - 1].1;
                if let Some(next) = address.checked_add(new_size)
                    && next <= end
                {
                    arena.cursor = next;
                    return ptr;
                }
            }
            // SAFETY: the caller guarantees `new_size` is valid for this
            // alignment.
            let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            // SAFETY: as in `alloc`.
            let new = unsafe { self.alloc(new_layout) };
            if !new.is_null() {
                // SAFETY: both blocks are live and distinct; the old one is
                // left in the arena.
                unsafe { core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
            }
            new
        }
    }

    #[global_allocator]
    pub static ALLOCATOR: PackAllocator = PackAllocator::new();
}

/// Runs `parse` with its allocations in the call's arena. What it returns
/// must not outlive the current `evaluate` call (dropping it is fine:
/// freeing arena blocks is a no-op).
pub(crate) fn scope<T>(parse: impl FnOnce() -> T) -> T {
    #[cfg(all(
        feature = "fast-alloc",
        target_family = "wasm",
        not(target_feature = "atomics")
    ))]
    {
        struct Off;
        impl Drop for Off {
            fn drop(&mut self) {
                imp::ALLOCATOR.set_on(false);
            }
        }
        imp::ALLOCATOR.set_on(true);
        let _off = Off;
        parse()
    }
    #[cfg(not(all(
        feature = "fast-alloc",
        target_family = "wasm",
        not(target_feature = "atomics")
    )))]
    parse()
}

/// Starts the arena over: everything parsed in a [`scope`] before is gone.
/// Called at the start of each `evaluate` call, when nothing of the
/// previous call is left.
pub(crate) fn reset() {
    #[cfg(all(
        feature = "fast-alloc",
        target_family = "wasm",
        not(target_feature = "atomics")
    ))]
    imp::ALLOCATOR.reset();
}

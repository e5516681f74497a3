#pragma once
// The memory of a state store: its shards' chunks and hash tables, cut one after the other from
// a few large mappings, which past the first 32 MiB are on 2 MiB pages where the system allows.
//
// Why: every lookup in the visited set reads a slot and a stored state at random places in
// hundreds of MiB. With 4 KiB pages nearly each of those reads also misses the TLB, and a
// prefetch cannot retire before its page walk is done, so the walks stalled the explorer
// (profiled: most of the samples in the successor loop sat on its two prefetches). Debian's
// default transparent-huge-page setting is "madvise": memory gets huge pages only if asked,
// and only where it is untouched and covers whole aligned 2 MiB pages, which memory from
// malloc seldom is. A shard alone is too small to fill huge pages (the 64 shards of a
// 10-million-state search hold 1 MiB tables), so the shards share one arena. A small search
// stays on small pages, so that it does not hold a huge page for each chunk it has begun.
#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace alertflow::checker::detail {

class Arena {
public:
    static constexpr std::size_t huge_page = std::size_t{2} << 20;
    static constexpr std::size_t first_mapping = std::size_t{32} << 20;  // on small pages
    static constexpr std::size_t largest_mapping = std::size_t{1} << 30;

    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;
    ~Arena() {
        for (const auto& [start, bytes] : mappings_) {
            ASAN_UNPOISON_MEMORY_REGION(start, bytes);
            munmap(start, bytes);
        }
    }

    // `bytes` bytes (not zeroed), aligned for a cache line, and for a huge page when at least
    // one, until the arena dies or they are given back. Safe to call from several threads.
    std::byte* allocate(std::size_t bytes) {
        const std::size_t size = rounded(bytes);
        const std::lock_guard lock(mutex_);
        std::byte* p = nullptr;
        const auto fits = std::ranges::find_if(given_back_, [&](const Range& range) { return range.second >= size; });
        if (fits != given_back_.end()) {  // first fit: allocations are few (one per chunk)
            p = take(*fits, size);
            if (fits->second == 0) given_back_.erase(fits);
        } else {
            // A large allocation starts on a huge page; what lies before it is kept for later. (The
            // length is taken first: take shortens fresh_, and the order in which a call's arguments
            // are evaluated is not specified.)
            if (const std::size_t to_huge_page = fresh_.second % huge_page; size >= huge_page && to_huge_page != 0)
                given_back_.emplace_back(take(fresh_, to_huge_page), to_huge_page);
            if (size > fresh_.second) map(size);
            p = take(fresh_, size);
        }
        ASAN_UNPOISON_MEMORY_REGION(p, bytes);
        return p;
    }

    // Takes back an allocation, for later ones, and gives the system the whole huge pages in it
    // (an outgrown table): they read as zeros when used again. Smaller pieces are kept as they
    // are, since giving them back would split the huge pages they share with others.
    void release(std::byte* p, std::size_t bytes) {
        const auto begin = (reinterpret_cast<std::uintptr_t>(p) + huge_page - 1) / huge_page * huge_page;
        const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) / huge_page * huge_page;
        if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
        const std::lock_guard lock(mutex_);
        ASAN_POISON_MEMORY_REGION(p, bytes);
        given_back_.emplace_back(p, rounded(bytes));
    }

private:
    using Range = std::pair<std::byte*, std::size_t>;
    // Sizes are rounded to a cache line, and under AddressSanitizer one more line is left
    // between allocations, poisoned, so that it sees a read past one's end.
#if defined(__SANITIZE_ADDRESS__)
    static constexpr std::size_t gap = 64;
#else
    static constexpr std::size_t gap = 0;
#endif
    static constexpr std::size_t line = 64;
    static std::size_t rounded(std::size_t bytes) { return (bytes + line - 1) / line * line + gap; }

    // The first `bytes` of a free range.
    static std::byte* take(Range& range, std::size_t bytes) {
        std::byte* p = range.first;
        range.first += bytes;
        range.second -= bytes;
        return p;
    }

    // A new mapping for at least `bytes`, twice the last one (the rest of that is never touched,
    // so it costs address space only), aligned to a huge page and on huge pages past the first.
    void map(std::size_t bytes) {
        const bool first = mappings_.empty();
        std::size_t size = first ? first_mapping : std::min(largest_mapping, 2 * mappings_.back().second);
        size = std::max(size, (bytes + huge_page - 1) / huge_page * huge_page);
        void* p = mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(p);
        const std::uintptr_t aligned = (start + huge_page - 1) / huge_page * huge_page;
        if (aligned > start) munmap(p, aligned - start);  // the unaligned head and tail
        munmap(reinterpret_cast<void*>(aligned + size), start + huge_page - aligned);
        fresh_ = {reinterpret_cast<std::byte*>(aligned), size};
        mappings_.push_back(fresh_);
        if (!first) madvise(fresh_.first, size, MADV_HUGEPAGE);  // a hint: without huge pages all still works
        ASAN_POISON_MEMORY_REGION(fresh_.first, size);
    }

    std::mutex mutex_;
    std::vector<Range> mappings_;
    Range fresh_{nullptr, 0};  // the untouched rest of the last mapping
    std::vector<Range> given_back_;
};

}  // namespace alertflow::checker::detail

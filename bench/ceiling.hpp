#pragma once
// The ceiling for a visited set: how fast boost::unordered_flat_set takes new keys of the size
// of a state as the checker stores it (packed), and answers lookups of keys it holds, on one
// core, hashed with XXH3 as the checker hashes states. Every transition costs at least one such
// lookup, so the checker's transition rate is printed as a fraction of the lookup rate.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_set.hpp>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

namespace alertflow::bench {

struct Ceiling {
    double inserts_per_second = 0;
    double lookups_per_second = 0;
};

template <class Key>
Ceiling measure_ceiling(std::size_t keys) {
    struct Hash {
        std::size_t operator()(const Key& k) const { return XXH3_64bits(&k, sizeof k); }
    };
    struct Equal {
        bool operator()(const Key& a, const Key& b) const { return std::memcmp(&a, &b, sizeof a) == 0; }
    };
    std::vector<Key> pool(keys);
    for (std::size_t i = 0; i < keys; ++i) {
        Key k{};
        std::memcpy(static_cast<void*>(&k), &i, sizeof i < sizeof k ? sizeof i : sizeof k);  // distinct keys, the rest zero as in states
        pool[i] = k;
    }
    boost::unordered_flat_set<Key, Hash, Equal> set;
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    for (const Key& k : pool) set.insert(k);
    const auto t1 = Clock::now();
    std::size_t found = 0;
    for (const Key& k : pool) found += set.contains(k);
    const auto t2 = Clock::now();
    const double insert_s = std::chrono::duration<double>(t1 - t0).count();
    const double lookup_s = std::chrono::duration<double>(t2 - t1).count();
    return {static_cast<double>(keys) / insert_s, static_cast<double>(found) / lookup_s};
}

namespace detail {
template <std::size_t... Words>
Ceiling measure_ceiling_words(std::size_t bytes, std::size_t keys, std::index_sequence<Words...>) {
    Ceiling c;
    ((bytes <= 8 * (Words + 1) && c.lookups_per_second == 0 ? (c = measure_ceiling<std::array<std::byte, 8 * (Words + 1)>>(keys), 0)
                                                           : 0),
     ...);
    return c;
}
}  // namespace detail

// For keys of `bytes` bytes (up to 128), rounded up to whole 8-byte words.
inline Ceiling measure_ceiling(std::size_t bytes, std::size_t keys) {
    return detail::measure_ceiling_words(bytes, keys, std::make_index_sequence<16>{});
}

}  // namespace alertflow::bench

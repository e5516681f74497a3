#include "model/state_codec.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace alertflow::model {

namespace {

// Room for the largest scope (6 alerts, 4 subscriptions, 23 incidents, reopening); the
// constructor checks. Every part is narrower than 64 bits, so a part spans at most two words.
using Words = std::array<std::uint64_t, 12>;

int bits_for(int values) { return values <= 1 ? 0 : std::bit_width(static_cast<unsigned>(values - 1)); }

[[noreturn, gnu::cold]] void does_not_fit() { throw std::logic_error("a state field does not fit its packed width"); }

// Fills the word being written in a register and stores it when full: or-ing each field into
// words in memory made every field wait on the store of the one before. It writes into `words`
// from bit `at` on, keeping the bits below.
class BitWriter {
public:
    BitWriter(Words& words, unsigned at) : words_(words), full_(static_cast<int>(at / 64)), fill_(static_cast<int>(at % 64)) {
        current_ = fill_ ? words[full_] & ((std::uint64_t{1} << fill_) - 1) : 0;
    }
    void put(std::uint64_t value, int bits) {
        spill_ |= value >> bits;
        current_ |= value << fill_;
        fill_ += bits;
        if (fill_ < 64) return;
        words_[full_++] = current_;
        fill_ -= 64;
        current_ = value >> (bits - fill_);  // the bits that did not fit (none when fill_ is 0)
    }
    // Stores the last word begun and zeroes the rest of the first `used`; throws if a field did
    // not fit its width: never a silent loss.
    void finish(std::size_t used) {
        if (spill_) does_not_fit();
        std::size_t i = static_cast<std::size_t>(full_);
        if (fill_) words_[i++] = current_;
        for (; i < used; ++i) words_[i] = 0;  // fewer incidents than the most leave words unwritten
    }

private:
    Words& words_;
    int full_, fill_;
    std::uint64_t current_, spill_ = 0;
};

// Writes the first `bytes` bytes of words with fixed-size copies (a copy of a size known only at
// run time is a call, 4% of exploration time): whole words, then the last 8 bytes over the end
// of the word before, or byte by byte when the state is shorter than a word.
void store_words(const Words& words, std::byte* out, std::size_t bytes) {
    const std::size_t full = bytes / 8, tail = bytes % 8;
    for (std::size_t i = 0; i < full; ++i) std::memcpy(out + 8 * i, &words[i], 8);
    if (tail == 0) return;
    if (full == 0) {
        for (std::size_t at = 0; at < tail; ++at) out[at] = static_cast<std::byte>(words[0] >> (8 * at));
        return;
    }
    const std::uint64_t last = words[full - 1] >> 8 * tail | words[full] << 8 * (8 - tail);
    std::memcpy(out + bytes - 8, &last, 8);
}

// A word of a padded packed state, loaded or stored whole. The empty asm keeps the compiler from
// turning a loop of such copies into a call to memcpy (the count is known only at run time),
// which costs more than the two or three moves it stands for.
inline std::uint64_t load_whole_word(const std::byte* in, std::size_t i) {
    std::uint64_t w;
    std::memcpy(&w, in + 8 * i, 8);
    asm("" : "+r"(w));
    return w;
}
inline void store_whole_word(std::uint64_t w, std::byte* out, std::size_t i) {
    asm("" : "+r"(w));
    std::memcpy(out + 8 * i, &w, 8);
}

// Reads a padded packed state in place, a word at a time: copying it into words first and then
// loading those whole made the loads wait on the copy's narrower stores.
class BitReader {
public:
    explicit BitReader(const std::byte* in) : in_(in) {}
    std::uint64_t get(unsigned bits) {
        if (bits == 0) return 0;
        const unsigned shift = at_ % 64;
        std::uint64_t value = word(at_ / 64) >> shift;
        if (shift + bits > 64) value |= word(at_ / 64 + 1) << (64 - shift);
        at_ += bits;
        return value & ((std::uint64_t{1} << bits) - 1);
    }

private:
    std::uint64_t word(unsigned i) const { return load_whole_word(in_, i); }

    const std::byte* in_;
    unsigned at_ = 0;  // unsigned: a signed division by 64 costs three instructions more
};

// Puts a part's bits at a place in words, over whatever was there (a part is narrower than a
// word, so it spans at most two); throws if the value does not fit: never a silent loss.
inline void set_bits(Words& words, unsigned at, unsigned width, std::uint64_t value) {
    if (value >> width) does_not_fit();
    if (width == 0) return;
    const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
    const unsigned i = at / 64, shift = at % 64;
    words[i] = (words[i] & ~(mask << shift)) | value << shift;
    if (shift + width > 64) words[i + 1] = (words[i + 1] & ~(mask >> (64 - shift))) | value >> (64 - shift);
}

// Whether two ranges of N bytes are the same, a word at a time (the last word overlapping the
// one before when N is not a multiple of 8), without a call.
template <std::size_t N>
bool same_bytes(const std::byte* x, const std::byte* y) {
    static_assert(N >= 8);
    const auto word = [](const std::byte* p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        return w;
    };
    std::uint64_t diff = word(x + N - 8) ^ word(y + N - 8);
    for (std::size_t i = 0; i + 8 <= N; i += 8) diff |= word(x + i) ^ word(y + i);
    return diff == 0;
}

bool same_slot(const AlertSlot& a, const AlertSlot& b) {
    static_assert(std::has_unique_object_representations_v<AlertSlot>);
    return same_bytes<sizeof(AlertSlot)>(reinterpret_cast<const std::byte*>(&a), reinterpret_cast<const std::byte*>(&b));
}

// Whether two states agree on what is packed after their alerts: the incident count, the
// incidents it counts, the subscriptions and the automation rule (not the unused incident
// slots, which nothing packs: comparing them all took a third of this function's time).
bool same_beyond_alerts(const State& a, const State& b) {
    constexpr std::size_t from = offsetof(State, incident_count);
    static_assert(offsetof(State, incidents) + sizeof(State::incidents) == from, "the count follows the incidents; the rest follows it");
    const auto bytes = [](const State& s) { return reinterpret_cast<const std::byte*>(&s); };
    const auto counted = std::min<std::ptrdiff_t>(a.incident_count, kMaxIncidents);  // a count past the array is refused later
    return same_bytes<sizeof(State) - from>(bytes(a) + from, bytes(b) + from) &&
           std::equal(a.incidents.begin(), a.incidents.begin() + counted, b.incidents.begin());
}

template <class T>
void set(T& field, std::uint64_t bits) {
    field = static_cast<T>(bits);
}

// Byte by byte: a memcpy into a zeroed word stores the rows' 5 bytes in pieces and then loads
// the word whole, which the processor cannot forward from the pieces (a stall that was 6% of
// one-thread exploration time).
static_assert(sizeof(AlertSlot::rows) <= sizeof(std::uint64_t));
std::uint64_t load_rows(const AlertSlot& slot) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < slot.rows.size(); ++i) bits |= std::uint64_t{slot.rows[i]} << (8 * i);
    return bits;
}

}  // namespace

int StateCodec::max_incidents(const Config& c) {
    const int per_alert = c.rules.incident_creation + c.rules.time_window + c.connectors.xdr.enabled;
    const int merges = c.faults.xdr_correlation && c.connectors.xdr.enabled ? c.scope.alerts - 1 : 0;
    return c.scope.alerts * per_alert + merges;
}

inline std::uint64_t StateCodec::pack_fields(const AlertSlot& slot) const {
    if (!fields_.fits(slot)) throw std::logic_error("an alert field does not fit its packed width");
    return fields_.pack(slot);
}

// Every part the scope can use, in a fixed order, as words of a given width: per alert its
// fields and its rows (for_each_alert_part); the incident count, each incident, the
// subscriptions (for_each_part_beyond_alerts). pack and unpack walk this one list. The incident
// count comes before the incidents, so an unpack knows how many follow when it gets there.
// `part(get, set, width)`: get() gives the part's bits (to pack), set(bits) stores them (to
// unpack; generic, so a const state never instantiates it).
template <class S, class F>
void StateCodec::for_each_part(S& s, F&& part) const {
    for (int a = 0; a < alerts_; ++a) for_each_alert_part(s.alerts[a], part);
    for_each_part_beyond_alerts(s, part);
}

// An alert's fields and its rows are one part where they fit in a word together (every
// configuration but the widest), so that a changed alert is one masked write and an unpack one
// read; else two.
template <class Slot, class F>
void StateCodec::for_each_alert_part(Slot& slot, F&& part) const {
    const int fields = fields_.bits();
    const auto rows = [&] {
        const std::uint64_t bits = load_rows(slot);
        if (bits >> row_bits_) does_not_fit();
        return bits;
    };
    const auto set_rows = [&](auto bits) { std::memcpy(&slot.rows, &bits, sizeof slot.rows); };
    if (fields + row_bits_ < 64) {
        part([&] { return pack_fields(slot) | rows() << fields; },
             [&](auto bits) {
                 fields_.unpack(bits, slot);
                 set_rows(bits >> fields);
             },
             fields + row_bits_);
        return;
    }
    part([&] { return pack_fields(slot); }, [&](auto bits) { fields_.unpack(bits, slot); }, fields);
    part(rows, set_rows, row_bits_);
}

template <class S, class F>
void StateCodec::for_each_part_beyond_alerts(S& s, F&& part) const {
    part([&] { return std::uint64_t{s.incident_count}; }, [&](auto bits) { set(s.incident_count, bits); }, incident_count_bits_);
    const int n = alert_set_bits_;
    for (int i = 0; i < s.incident_count; ++i) {
        auto& inc = s.incidents[i];
        part([&] {
                 return std::uint64_t{inc.alerts} | std::uint64_t(inc.origin) << n | std::uint64_t(inc.status) << (n + 2) |
                        std::uint64_t(inc.first_row_writer) << (n + 4);
             },
             [&](auto bits) {
                 set(inc.alerts, bits & ((1u << n) - 1));
                 set(inc.origin, (bits >> n) & 3);
                 set(inc.status, (bits >> (n + 2)) & 3);
                 set(inc.first_row_writer, (bits >> (n + 4)) & 1);
             },
             n + 5);
    }
    part([&] {
             std::uint64_t bits = static_cast<std::uint64_t>(s.automation);
             for (int i = 0; i < subscriptions_; ++i)
                 bits |= std::uint64_t(s.subscriptions[i]) << (1 + 2 * i) | std::uint64_t(s.coverage[i]) << (2 + 2 * i);
             return bits;
         },
         [&](auto bits) {
             set(s.automation, bits & 1);
             for (int i = 0; i < subscriptions_; ++i) {
                 set(s.subscriptions[i], (bits >> (1 + 2 * i)) & 1);
                 set(s.coverage[i], (bits >> (2 + 2 * i)) & 1);
             }
         },
         1 + 2 * subscriptions_);
}

namespace {

// Without reopening an alert has two statuses (Active, a close), with it four; the sub
// connector writes a row per status, the tenant connector one per status plus a duplicate.
int statuses(const Config& c) { return c.analysts.reopen_in_mdc ? kMaxHistory : 2; }
int rows(const Config& c) {
    return (c.connectors.subscription.enabled ? statuses(c) : 0) + (c.connectors.tenant.enabled ? statuses(c) + c.faults.tenant_duplicates : 0);
}

// The widths of an alert's fields that the configuration sets.
AlertFields::Widths field_widths(const Config& c) {
    return {.history = 2 * statuses(c),
            .history_len = bits_for(statuses(c) + 1),
            .subscription = bits_for(c.scope.subscriptions),
            .row_count = bits_for(rows(c) + 1)};
}

}  // namespace

StateCodec::StateCodec(const Config& config, bool bit_instructions)
    : alerts_(config.scope.alerts),
      subscriptions_(config.scope.subscriptions),
      max_incidents_(max_incidents(config)),
      alert_set_bits_(config.scope.alerts),
      incident_count_bits_(bits_for(max_incidents_ + 1)),
      row_bits_(4 * rows(config)),
      fields_(field_widths(config), bit_instructions) {
    State widest;
    widest.incident_count = static_cast<std::uint8_t>(max_incidents_);
    int bits = 0;
    for_each_part(widest, [&](auto&&, auto&&, int width) {
        if (width >= 64) throw std::logic_error("a packed part must be narrower than a word");
        bits += width;
    });
    bytes_ = static_cast<std::size_t>(bits + 7) / 8;
    if (bytes_ > sizeof(Words)) throw std::logic_error("the scope is larger than the packed state holds");
}

void StateCodec::pack(const State& s, std::byte* out) const {
    if (s.incident_count > max_incidents_) throw std::logic_error("more incidents than the configuration can make");
    Words words;
    BitWriter writer(words, 0);
    for_each_part(s, [&](auto&& get, auto&&, int width) { writer.put(get(), width); });
    writer.finish((bytes_ + 7) / 8);
    store_words(words, out, bytes_);
}

// The parent's words, with the parts the step changed put anew. An alert's parts have a fixed
// place; what comes after the alerts moves with the number of incidents, so it is put anew
// whole when any of it changed. Bytes that are the same pack the same, so this writes what pack
// would, provided `alerts` names every alert whose slot differs from the parent's.
void StateCodec::pack_successor(const State& parent, const std::byte* parent_packed, const State& s, unsigned alerts, std::byte* out) const {
    Words words;  // only the words that hold bytes_ are read or written (zeroing all was a tenth of the time)
    const std::size_t used = (bytes_ + 7) / 8;
    for (std::size_t i = 0; i < used; ++i) words[i] = load_whole_word(parent_packed, i);
    unsigned at = 0;
    const auto put = [&](auto&& get, auto&&, int width) {
        set_bits(words, at, static_cast<unsigned>(width), get());
        at += width;
    };
    const int alert_width = fields_.bits() + row_bits_;  // an alert's parts are at a fixed place
    for (unsigned changed = alerts & ((1u << alerts_) - 1); changed != 0; changed &= changed - 1) {
        const int a = std::countr_zero(changed);
        if (same_slot(s.alerts[a], parent.alerts[a])) continue;
        at = static_cast<unsigned>(a * alert_width);
        for_each_alert_part(s.alerts[a], put);
    }
    if (!same_beyond_alerts(s, parent)) {
        if (s.incident_count > max_incidents_) throw std::logic_error("more incidents than the configuration can make");
        BitWriter writer(words, static_cast<unsigned>(alerts_ * alert_width));
        for_each_part_beyond_alerts(s, [&](auto&& get, auto&&, int width) { writer.put(get(), width); });
        writer.finish(used);
    }
    for (std::size_t i = 0; i < used; ++i) store_whole_word(words[i], out, i);
}

State StateCodec::unpack(const std::byte* in) const {
    State s;
    BitReader reader(in);
    for_each_part(s, [&](auto&&, auto&& store, int width) { store(reader.get(static_cast<unsigned>(width))); });
    return s;
}

}  // namespace alertflow::model

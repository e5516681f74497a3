#pragma once
// The packed form of a State, which the checker stores, hashes and compares instead of the
// State itself: only the alerts, subscriptions and incidents the configuration's scope can use,
// each field in the bits its values need. Three alerts with every connector and the incident
// creation rule (configs/all_connectors.yaml) pack into 22 bytes instead of sizeof(State) = 214.
#include <cstddef>
#include <cstdint>

#include "model/alert_fields.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace alertflow::model {

class StateCodec {
public:
    // bit_instructions: pack an alert's fields with pext and pdep (see alert_fields.hpp).
    explicit StateCodec(const Config& config, bool bit_instructions = AlertFields::fast_bit_instructions());

    std::size_t bytes() const { return bytes_; }
    // Writes bytes() bytes. Throws std::logic_error if the state does not fit the scope (an
    // alert field out of its range, a subscription or more incidents than the scope has): never a
    // silent loss of information. Tests check that every reachable state unpacks as it was.
    void pack(const State& s, std::byte* out) const;
    // Reads bytes() bytes rounded up to whole words (the padding whatever it holds).
    State unpack(const std::byte* in) const;
    // Writes what pack(s, out) would, for a successor s of parent whose packed form is
    // parent_packed: only the parts the step changed are packed anew (most steps change one alert).
    // `alerts` has bit a set for each alert whose slot the step may have changed (those are
    // compared with the parent's; the others are taken from the parent unseen).
    // Both buffers are bytes() rounded up to whole words: it reads the parent's padding (whatever
    // it holds) and writes out's (with whatever it read), moving words instead of a last few bytes.
    void pack_successor(const State& parent, const std::byte* parent_packed, const State& s, unsigned alerts, std::byte* out) const;

    // Each alert gets at most one incident from each rule and from the XDR connector, and XDR
    // correlation merges at most alerts - 1 times (every merge leaves one open incident fewer).
    static int max_incidents(const Config& config);

private:
    template <class S, class F>
    void for_each_part(S& s, F&& part) const;
    template <class Slot, class F>
    void for_each_alert_part(Slot& slot, F&& part) const;
    template <class S, class F>
    void for_each_part_beyond_alerts(S& s, F&& part) const;
    std::uint64_t pack_fields(const AlertSlot& slot) const;  // throws if a field does not fit

    int alerts_;
    int subscriptions_;
    int max_incidents_;
    int alert_set_bits_;
    int incident_count_bits_;
    int row_bits_;         // an alert's rows, 4 bits each
    AlertFields fields_;  // an alert's other fields
    std::size_t bytes_;
};

}  // namespace alertflow::model

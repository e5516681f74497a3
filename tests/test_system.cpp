// The product System: its initial states, the shape of its reachable graph (progress grows on
// every edge, incidents stay sorted, alerts are raised in index order, apply is pure), the State's
// layout, pinned state counts, and which actions are fair.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "checker/explore.hpp"
#include "cli/config_yaml.hpp"
#include "model/action.hpp"
#include "model/alert_fields.hpp"
#include "model/state_codec.hpp"
#include "model/system.hpp"

namespace {

namespace model = alertflow::model;
namespace checker = alertflow::checker;
namespace bdata = boost::unit_test::data;
using model::Action;
using model::ActionKind;
using model::State;
using model::System;

model::Config load(const std::string& name) {
    return alertflow::cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + name + ".yaml");
}

// Every switch on, at one alert, with one subscription created late. Reopening stays off: with it
// on too, this set-up has 6,073,820 states (about 11 s), far beyond a unit test.
model::Config all_switches_but_reopen() {
    model::Config c;
    c.connectors.subscription.enabled = true;
    c.connectors.subscription.bidirectional_sync = true;
    c.connectors.subscription.new_subscription_policy = true;
    c.connectors.tenant.enabled = true;
    c.connectors.xdr.enabled = true;
    c.xdr.mdc_alerts = model::XdrMdcAlerts::All;
    c.rules.incident_creation = true;
    c.rules.automation_close = true;
    c.rules.time_window = true;
    c.scope.subscriptions = 2;
    c.scope.late_subscriptions = 1;
    c.scope.alerts = 1;
    c.analysts.close_in_mdc = true;
    c.analysts.close_in_sentinel = true;
    c.analysts.close_in_xdr = true;
    c.faults.tenant_duplicates = true;
    c.faults.xdr_incident_before_alert = true;
    c.faults.xdr_correlation = true;
    c.faults.start_time_skew = true;
    return c;
}

// A configuration to explore: a file in configs/ (or one of the set-ups built above), with the
// number of alerts overridden when `alerts` is not 0.
struct Setup {
    std::string name;
    int alerts = 0;
    bool reopen = false;  // analysts.reopen_in_mdc switched on

    model::Config config() const {
        model::Config c = name == "all-switches-but-reopen" ? all_switches_but_reopen() : load(name);
        if (alerts != 0) c.scope.alerts = alerts;
        if (reopen) c.analysts.reopen_in_mdc = true;
        return c;
    }
    friend std::ostream& operator<<(std::ostream& os, const Setup& s) {
        os << s.name;
        if (s.alerts != 0) os << " with " << s.alerts << " alerts";
        if (s.reopen) os << ", reopening allowed";
        return os;
    }
};

// Small set-ups that between them switch on every connector, rule, fault and analyst action.
const std::vector<Setup> kExplored{
    {"default"},
    {"b02_sub_connector_with_rule", 2},
    {"b08_both_connectors_rule", 0, true},
    {"b09_late_subscription"},
    {"b12_xdr_connector_plus_rule"},
    {"b13_xdr_correlation"},
    {"b14_xdr_incident_before_alert"},
    {"b15_tenant_duplicates", 0, true},
    {"b17_start_time_skew"},
    {"all-switches-but-reopen"},
};

// Set-ups with several alerts.
const std::vector<Setup> kSeveralAlerts{
    {"b02_sub_connector_with_rule", 3},
    {"b13_xdr_correlation"},
    {"b16_alert_links", 2},
};

struct StateBytesHash {
    std::size_t operator()(const State& s) const {
        return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(&s), sizeof s));
    }
};

// Breadth-first search of the reachable graph, independent of the checker: calls
// on_edge(from, action, to) on every transition and returns the distinct states in discovery order.
template <class OnEdge>
std::vector<State> reachable(const System& system, OnEdge on_edge) {
    std::vector<State> states;
    std::unordered_set<State, StateBytesHash> seen;
    for (const State& s : system.initial_states())
        if (seen.insert(s).second) states.push_back(s);
    for (std::size_t i = 0; i < states.size(); ++i) {
        const State from = states[i];  // a copy: pushing successors may move the vector
        system.for_each_successor(from, [&](const Action& a, const State& to) {
            on_edge(from, a, to);
            if (seen.insert(to).second) states.push_back(to);
        });
    }
    return states;
}

std::vector<State> reachable(const System& system) {
    return reachable(system, [](const State&, const Action&, const State&) {});
}

std::string describe(const Action& a) {
    std::ostringstream os;
    os << "action kind " << static_cast<int>(a.kind) << " (" << model::actor(a.kind) << "), alert " << int{a.alert}
       << ", target " << int{a.target} << ", variant " << int{a.variant};
    return os.str();
}

bool same_bytes(const State& x, const State& y) { return std::memcmp(&x, &y, sizeof(State)) == 0; }

// pack_successor as the checker calls it: both buffers padded to whole words (padded_size in
// checker/model.hpp), the parent's padding all ones (it may hold anything), out's something else
// again; the packed bytes it wrote. Given the action that made `to`, the way the checker packs
// a successor it does not replace by a representative.
std::vector<std::byte> pack_from_parent(const System& system, const State& from, const std::vector<std::byte>& from_packed, const State& to,
                                        std::optional<Action> step = std::nullopt) {
    const std::size_t bytes = system.packed_size();
    std::vector<std::byte> parent(checker::padded_size(bytes), std::byte{0xff}), out(checker::padded_size(bytes), std::byte{0xa5});
    std::copy_n(from_packed.begin(), bytes, parent.begin());
    if (step) system.pack_successor(from, parent.data(), *step, to, out.data());
    else system.pack_successor(from, parent.data(), to, out.data());
    out.resize(bytes);
    return out;
}

using E = model::environment::Subscription;
using C = model::subscription_connector::Coverage;

}  // namespace

BOOST_AUTO_TEST_SUITE(model_system)

// ------------------------------------------------------------------ initial states

BOOST_AUTO_TEST_CASE(initial_state_covers_the_existing_subscriptions_and_leaves_late_ones_uncreated) {
    model::Config c;
    c.connectors.subscription.enabled = true;
    c.scope.subscriptions = 3;
    c.scope.late_subscriptions = 1;
    c.scope.alerts = 2;
    const auto initial = System(c).initial_states();
    BOOST_TEST_REQUIRE(initial.size() == 1u);
    const State& s = initial.front();
    BOOST_TEST((s.subscriptions == std::array{E::Exists, E::Exists, E::NotCreated, E::NotCreated}));
    BOOST_TEST((s.coverage == std::array{C::Covered, C::Covered, C::NotCovered, C::NotCovered}));
    BOOST_TEST((s.automation == model::automation_rule::Deployment::Off));
    BOOST_TEST(int{s.incident_count} == 0);
    for (const model::AlertSlot& slot : s.alerts) BOOST_TEST((slot == model::AlertSlot{}));
}

BOOST_AUTO_TEST_CASE(initial_state_covers_no_subscription_when_the_subscription_connector_is_off) {
    model::Config c;
    c.connectors.subscription.enabled = false;
    c.connectors.subscription.new_subscription_policy = true;
    c.scope.subscriptions = 2;
    const State s = System(c).initial_states().front();
    BOOST_TEST((s.subscriptions == std::array{E::Exists, E::Exists, E::NotCreated, E::NotCreated}));
    BOOST_TEST((s.coverage == std::array{C::NotCovered, C::NotCovered, C::NotCovered, C::NotCovered}));
}

BOOST_AUTO_TEST_CASE(initial_state_leaves_the_subscriptions_the_connector_was_not_enabled_for_uncovered) {
    model::Config c;
    c.connectors.subscription.enabled = true;
    c.connectors.subscription.uncovered_subscriptions = 1;
    c.scope.subscriptions = 2;
    const State s = System(c).initial_states().front();
    BOOST_TEST((s.subscriptions == std::array{E::Exists, E::Exists, E::NotCreated, E::NotCreated}));
    BOOST_TEST((s.coverage == std::array{C::NotCovered, C::Covered, C::NotCovered, C::NotCovered}));
}

BOOST_AUTO_TEST_CASE(initial_state_has_the_automation_rule_deployed_only_when_automation_close_is_on) {
    model::Config c;
    c.rules.automation_close = true;
    BOOST_TEST((System(c).initial_states().front().automation == model::automation_rule::Deployment::On));
    c.rules.automation_close = false;
    BOOST_TEST((System(c).initial_states().front().automation == model::automation_rule::Deployment::Off));
}

BOOST_DATA_TEST_CASE(a_late_subscription_gets_the_connector_at_creation_only_under_the_policy, bdata::make({false, true}),
                     policy) {
    model::Config c;
    c.connectors.subscription.enabled = true;
    c.connectors.subscription.new_subscription_policy = policy;
    c.scope.subscriptions = 2;
    c.scope.late_subscriptions = 1;
    const System system(c);
    const State initial = system.initial_states().front();
    std::vector<Action> creations;
    system.for_each_successor(initial, [&](const Action& a, const State&) {
        if (a.kind == ActionKind::CreateSubscription) creations.push_back(a);
    });
    BOOST_TEST_REQUIRE(creations.size() == 1u);
    BOOST_TEST(int{creations.front().target} == 1);
    const State after = system.apply(initial, creations.front());
    BOOST_TEST((after.subscriptions[1] == E::Exists));
    BOOST_TEST((after.coverage[1] == (policy ? C::Covered : C::NotCovered)));
}

// ------------------------------------------------------------------ the reachable graph

// The checker's eventually-verdicts rest on this: with progress strictly growing, the graph has no
// cycle and every run ends.
BOOST_DATA_TEST_CASE(every_transition_increases_progress, bdata::make(kExplored), setup) {
    const System system(setup.config());
    std::size_t edges = 0;
    std::size_t bad = 0;
    std::string first_bad;
    const auto states = reachable(system, [&](const State& from, const Action& a, const State& to) {
        ++edges;
        if (system.progress(to) > system.progress(from)) return;
        if (bad++ == 0) first_bad = describe(a);
    });
    BOOST_TEST_MESSAGE(setup << ": " << states.size() << " states, " << edges << " transitions");
    BOOST_TEST(bad == 0u, bad << " transitions do not increase progress; the first: " << first_bad);

    // The checker draws the same conclusion: an eventually-check that always holds is not Unknown.
    const std::vector<checker::Check<State>> checks{
        {"always", checker::PropertyKind::Invariant, [](const State&) { return true; }},
        {"eventually", checker::PropertyKind::Eventually, [](const State&) { return true; }},
    };
    const auto result = checker::explore(system, checks);
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(result.stats.states == states.size());
    BOOST_TEST(result.stats.transitions == edges);
    for (const auto& check : result.checks) BOOST_TEST((check.verdict == checker::Verdict::Holds), check.id << ": " << check.note);
}

// Sorting makes the order incidents were made in irrelevant; the key (origin, alerts) is unique, so
// the order is total. Unused slots stay zero, so equal situations have equal bytes.
BOOST_DATA_TEST_CASE(incidents_are_kept_sorted_by_key_in_every_reachable_state, bdata::make(kExplored), setup) {
    const System system(setup.config());
    std::size_t unsorted = 0;
    std::size_t dirty = 0;
    std::size_t with_incidents = 0;
    for (const State& s : reachable(system)) {
        with_incidents += s.incident_count > 1;
        for (int i = 1; i < s.incident_count; ++i) unsorted += !(s.incidents[i - 1].key() < s.incidents[i].key());
        for (int i = s.incident_count; i < model::kMaxIncidents; ++i) dirty += !(s.incidents[i] == model::Incident{});
    }
    BOOST_TEST(unsorted == 0u, unsorted << " neighbouring incidents out of strict key order");
    BOOST_TEST(dirty == 0u, dirty << " unused incident slots are not zero");
    BOOST_TEST_MESSAGE(setup << ": " << with_incidents << " states with two incidents or more");
}

// Partial-order reduction and the cutoff rest on this: XDR closes an incident as soon as its last
// alert closes, so an open XDR incident always holds an open alert, and one alert's status change
// (which runs XDR's sync over every incident) never touches an incident of alerts it does not hold.
bool open_xdr_incidents_hold_an_open_alert(const State& s) {
    for (int i = 0; i < s.incident_count; ++i) {
        const model::Incident& inc = s.incidents[i];
        if (inc.origin != model::IncidentOrigin::XdrConnector || !inc.open()) continue;
        bool held_open = false;
        for (int a = 0; a < model::kMaxAlerts; ++a)
            held_open = held_open || (inc.holds(a) && !model::mdc_alert::is_closed(s.alerts[a].mdc));
        if (!held_open) return false;
    }
    return true;
}

BOOST_DATA_TEST_CASE(an_open_xdr_incident_always_holds_an_open_alert,
                     bdata::make(kExplored) + bdata::make(kSeveralAlerts) +
                         bdata::make(std::vector<Setup>{{"b12_xdr_connector_plus_rule", 0, true}, {"b13_xdr_correlation", 0, true}}),
                     setup) {
    const checker::Check<State> check{"open-xdr-incident-holds-an-open-alert", checker::PropertyKind::Invariant,
                                      open_xdr_incidents_hold_an_open_alert};
    const auto result = checker::explore(System(setup.config()), {check});
    BOOST_TEST(result.stats.complete);
    BOOST_TEST((result.checks[0].verdict == checker::Verdict::Holds), setup << ": " << result.checks[0].trace.has_value());
    BOOST_TEST_MESSAGE(setup << ": " << result.stats.states << " states");
}

// The checker stores states packed (state_codec.hpp): unpacking must give back every reachable
// state byte for byte, or two states could be stored as one and a violation missed.
BOOST_DATA_TEST_CASE(every_reachable_state_survives_packing, bdata::make(kExplored) + bdata::make(kSeveralAlerts), setup) {
    const System system(setup.config());
    std::vector<std::byte> packed(checker::padded_size(system.packed_size()), std::byte{0xff});  // unpack may read the padding
    std::size_t lost = 0;
    const auto states = reachable(system);
    // The same bytes whether an alert's fields are packed by shifts or by pext (alert_fields.hpp).
    const model::StateCodec by_shifts(setup.config(), false);
    std::vector<std::byte> shifted(packed.size(), std::byte{0xff});
    std::size_t differ = 0;
    for (const State& s : states) {
        system.pack(s, packed.data());
        by_shifts.pack(s, shifted.data());
        lost += !same_bytes(system.unpack(packed.data()), s) + !same_bytes(by_shifts.unpack(shifted.data()), s);
        differ += packed != shifted;
    }
    BOOST_TEST(lost == 0u, lost << " of " << states.size() << " states changed by pack and unpack");
    BOOST_TEST(differ == 0u, differ << " of " << states.size() << " states pack otherwise by shifts");
    BOOST_TEST(system.packed_size() < sizeof(State) / 2);
    BOOST_TEST_MESSAGE(setup << ": " << system.packed_size() << " bytes packed");
}

// What packing random alerts with one set of field widths got wrong (see the test below).
struct FieldCounts {
    std::size_t slots = 0, lost = 0, differ = 0, too_wide_fit = 0;
};
void pack_random_alerts(const model::AlertFields::Widths& configured, bool bmi2, std::mt19937& random, FieldCounts& counts) {
    using model::AlertSlot;
    const model::AlertFields shifts(configured, false), bits(configured, bmi2);
    const std::vector<std::pair<std::size_t, int>> fields = {  // each field's byte and width
        {offsetof(AlertSlot, mdc), 2}, {offsetof(AlertSlot, history), configured.history},
        {offsetof(AlertSlot, history_len), configured.history_len}, {offsetof(AlertSlot, subscription), configured.subscription},
        {offsetof(AlertSlot, future_start_time), 1}, {offsetof(AlertSlot, sub_forwarding), 3},
        {offsetof(AlertSlot, tenant_delivery), 3}, {offsetof(AlertSlot, xdr), 1},
        {offsetof(AlertSlot, xdr_connector), 1}, {offsetof(AlertSlot, rule), 1},
        {offsetof(AlertSlot, time_window_rule), 1}, {offsetof(AlertSlot, presence), 1},
        {offsetof(AlertSlot, row_count), configured.row_count}};
    int total = 0;
    for (const auto& [at, width] : fields) total += width;
    BOOST_TEST(shifts.bits() == total);
    for (int n = 0; n < 300; ++n, ++counts.slots) {
        AlertSlot slot;
        auto* bytes = reinterpret_cast<std::uint8_t*>(&slot);
        for (std::size_t i = 0; i < sizeof slot; ++i) bytes[i] = static_cast<std::uint8_t>(random());
        for (const auto& [at, width] : fields) bytes[at] &= static_cast<std::uint8_t>((1u << width) - 1);
        AlertSlot back;
        std::memcpy(back.rows.data(), slot.rows.data(), sizeof slot.rows);
        shifts.unpack(shifts.pack(slot), back);
        counts.lost += !shifts.fits(slot) || std::memcmp(&back, &slot, sizeof slot) != 0;
        AlertSlot by_bits = back;
        bits.unpack(shifts.pack(slot), by_bits);
        counts.differ += bits.pack(slot) != shifts.pack(slot) || std::memcmp(&by_bits, &slot, sizeof slot) != 0;
        for (const auto& [at, width] : fields) {
            if (width == 8) continue;
            AlertSlot wide = slot;
            reinterpret_cast<std::uint8_t*>(&wide)[at] |= static_cast<std::uint8_t>(1u << width);
            counts.too_wide_fit += shifts.fits(wide) + bits.fits(wide);
        }
    }
}

// An alert's fields but its rows, packed alone (model/alert_fields.hpp) for every width a
// configuration can give them: random values of each field within its width come back as they
// were, rows untouched; pext and pdep (where the processor has them) give the same word as the
// shifts; and a value one bit too wide for its field does not fit.
BOOST_AUTO_TEST_CASE(an_alerts_fields_pack_alike_by_shifts_and_by_bit_instructions) {
    const bool bmi2 = model::AlertFields::bit_instructions_available();
    std::vector<model::AlertFields::Widths> widths;
    for (const int statuses : {2, 4})  // without and with reopening
        for (const int subscription : {0, 1, 2})
            for (const int row_count : {0, 1, 2, 3, 4}) widths.push_back({2 * statuses, statuses == 2 ? 2 : 3, subscription, row_count});
    std::mt19937 random(2026);
    FieldCounts counts;
    for (const auto& configured : widths) pack_random_alerts(configured, bmi2, random, counts);
    BOOST_TEST(counts.lost == 0u, counts.lost << " of " << counts.slots << " slots changed by pack and unpack");
    BOOST_TEST(counts.differ == 0u, counts.differ << " of " << counts.slots << " slots pack otherwise by pext and pdep");
    BOOST_TEST(counts.too_wide_fit == 0u);
    BOOST_TEST_MESSAGE(counts.slots << " slots; pext and pdep " << (bmi2 ? "compared" : "not on this processor"));
}

// With symmetry reduction the checker takes a stored state's progress measure from the first
// member of its class it met (checker/model.hpp): the measure must be the same on a state and
// its representative.
BOOST_DATA_TEST_CASE(progress_is_the_same_on_a_state_and_its_representative, bdata::make(kExplored) + bdata::make(kSeveralAlerts), setup) {
    const System system(setup.config());
    std::size_t differ = 0, moved = 0;
    const auto states = reachable(system);
    for (const State& s : states) {
        const State r = system.representative(s);
        differ += system.progress(r) != system.progress(s);
        moved += !same_bytes(r, s);
    }
    BOOST_TEST(differ == 0u, differ << " of " << states.size() << " states measure otherwise than their representatives");
    BOOST_TEST_MESSAGE(setup << ": " << moved << " of " << states.size() << " states are not their own representative");
}

// The checker packs a successor by reusing its parent's packed bits where the step left the
// state alone (StateCodec::pack_successor): it must write what pack writes. Checked on every
// transition, knowing the action (only the alerts it may touch are looked at) and not, on its
// representative (symmetry reduction stores representatives, whose alerts may
// be in another order than the parent's), and on pairs of unrelated states (several alerts
// changed at once, fewer incidents than the "parent").
BOOST_DATA_TEST_CASE(packing_a_successor_from_its_parent_writes_what_packing_it_alone_writes, bdata::make(kExplored) + bdata::make(kSeveralAlerts), setup) {
    const System system(setup.config());
    const std::size_t bytes = system.packed_size();
    std::vector<std::byte> parent(bytes), alone(bytes);
    std::size_t pairs = 0, wrong = 0;
    const auto compare = [&](const State& from, const State& to, std::optional<Action> step = std::nullopt) {
        system.pack(from, parent.data());
        system.pack(to, alone.data());
        ++pairs;
        wrong += alone != pack_from_parent(system, from, parent, to, step);
    };
    const auto states = reachable(system, [&](const State& from, const Action& action, const State& to) {
        compare(from, to);
        compare(from, to, action);
        compare(system.representative(from), system.representative(to));
    });
    for (std::size_t i = 0; i < states.size(); ++i) compare(states[i], states[i * 7919 % states.size()]);
    BOOST_TEST(wrong == 0u, wrong << " of " << pairs << " pairs packed differently from their parent");
    BOOST_TEST_MESSAGE(setup << ": " << pairs << " pairs");
}

BOOST_AUTO_TEST_CASE(packing_refuses_a_state_beyond_the_scope) {
    model::Config c = load("default");  // one subscription, one alert, the incident creation rule only
    const System system(c);
    std::vector<std::byte> packed(system.packed_size());
    const State initial = system.initial_states().front();
    std::vector<std::byte> initial_packed(system.packed_size());
    system.pack(initial, initial_packed.data());
    State s = initial;
    s.alerts[0].mdc = model::mdc_alert::Status::Active;
    s.alerts[0].subscription = 1;  // a subscription the scope does not have
    BOOST_CHECK_THROW(system.pack(s, packed.data()), std::logic_error);
    BOOST_CHECK_THROW(pack_from_parent(system, initial, initial_packed, s), std::logic_error);
    s.alerts[0].subscription = 0;
    s.incident_count = 2;  // the rule makes one incident per alert
    BOOST_CHECK_THROW(system.pack(s, packed.data()), std::logic_error);
    BOOST_CHECK_THROW(pack_from_parent(system, initial, initial_packed, s), std::logic_error);
    s.incident_count = 1;
    BOOST_CHECK_NO_THROW(system.pack(s, packed.data()));
    BOOST_CHECK_NO_THROW(pack_from_parent(system, initial, initial_packed, s));
    // Every field of an alert before its rows is narrower than a byte in this configuration (no
    // reopening: a 4-bit history), so a byte of all ones fits none of them.
    for (std::size_t at = 0; at < offsetof(model::AlertSlot, rows); ++at) {
        State wide = s;
        reinterpret_cast<std::byte*>(&wide.alerts[0])[at] = std::byte{0xff};
        BOOST_CHECK_THROW(system.pack(wide, packed.data()), std::logic_error);
        BOOST_CHECK_THROW(pack_from_parent(system, initial, initial_packed, wide), std::logic_error);
    }
}

// With every switch on and reopening, an alert and its rows need more than a word (9 rows, 66
// bits), the widest packing there is: too many states to explore in a unit test, so random walks
// (a fixed seed) compare both ways of packing on every successor of every state they pass.
BOOST_AUTO_TEST_CASE(packing_a_successor_agrees_where_an_alert_and_its_rows_need_two_words) {
    model::Config c = all_switches_but_reopen();
    c.analysts.reopen_in_mdc = true;
    const System system(c);
    const std::size_t bytes = system.packed_size();
    std::vector<std::byte> parent(bytes), alone(bytes);
    std::mt19937 random(12345);
    std::size_t pairs = 0, wrong = 0, most_rows = 0;
    for (int walk = 0; walk < 300; ++walk) {
        State s = system.initial_states().front();
        model::ActionList actions;
        for (system.enabled_actions(s, actions); actions.size() != 0; system.enabled_actions(s, actions)) {
            system.pack(s, parent.data());
            for (const model::Action& a : actions) {
                const State next = system.apply(s, a);
                system.pack(next, alone.data());
                pairs += 2;
                wrong += alone != pack_from_parent(system, s, parent, next);
                wrong += alone != pack_from_parent(system, s, parent, next, a);
                most_rows = std::max<std::size_t>(most_rows, next.alerts[0].row_count);
            }
            s = system.apply(s, actions[static_cast<int>(random() % static_cast<unsigned>(actions.size()))]);
            actions.clear();
        }
    }
    BOOST_TEST(wrong == 0u, wrong << " of " << pairs << " successors packed differently from their parent");
    BOOST_TEST(most_rows >= 7u);  // the walks reached rows in the alert's second word
}

// An alert has at most 9 rows (reopening, both connectors, a duplicate), so the tenth place in
// its rows is never used: a row there must be refused by both ways of packing, whatever width
// the configuration gives an alert's rows.
BOOST_DATA_TEST_CASE(packing_refuses_a_row_beyond_the_last, bdata::make(kExplored), setup) {
    const System system(setup.config());
    const State initial = system.initial_states().front();
    std::vector<std::byte> initial_packed(system.packed_size()), packed(system.packed_size());
    system.pack(initial, initial_packed.data());
    State s = initial;
    s.alerts[0].rows.back() = 0xf0;  // the tenth row
    BOOST_CHECK_THROW(system.pack(s, packed.data()), std::logic_error);
    BOOST_CHECK_THROW(pack_from_parent(system, initial, initial_packed, s), std::logic_error);
}

// Alerts are interchangeable, so the System raises them in index order only: in every reachable
// state the raised alerts are a prefix, and the only alert that may be raised next is the first
// one not raised yet. Slots beyond the configured number of alerts are never touched.
BOOST_DATA_TEST_CASE(alerts_are_raised_in_index_order, bdata::make(kSeveralAlerts), setup) {
    const model::Config config = setup.config();
    const System system(config);
    std::size_t out_of_order = 0;
    std::size_t wrong_raise = 0;
    std::size_t touched = 0;
    std::size_t all_raised = 0;
    const auto states = reachable(system, [&](const State& from, const Action& a, const State&) {
        if (a.kind != ActionKind::RaiseAlert) return;
        int first_unraised = 0;
        while (first_unraised < config.scope.alerts && from.alerts[first_unraised].raised()) ++first_unraised;
        wrong_raise += a.alert != first_unraised;
    });
    for (const State& s : states) {
        int raised = 0;
        while (raised < model::kMaxAlerts && s.alerts[raised].raised()) ++raised;
        for (int a = raised; a < model::kMaxAlerts; ++a) out_of_order += s.alerts[a].raised();
        for (int a = config.scope.alerts; a < model::kMaxAlerts; ++a) touched += !(s.alerts[a] == model::AlertSlot{});
        all_raised += raised == config.scope.alerts;
    }
    BOOST_TEST(out_of_order == 0u);
    BOOST_TEST(wrong_raise == 0u);
    BOOST_TEST(touched == 0u);
    BOOST_TEST(all_raised > 0u);  // the scope's alerts can all be raised
}

// apply takes the state by const reference and returns a new one: the state it is given is left
// byte for byte as it was, the same call gives the same bytes, and for_each_successor offers
// exactly enabled_actions, each applied.
BOOST_DATA_TEST_CASE(apply_never_touches_the_state_passed_in, bdata::make(kExplored), setup) {
    const System system(setup.config());
    std::size_t touched = 0;
    std::size_t nondeterministic = 0;
    std::size_t mismatched = 0;
    for (const State& s : reachable(system)) {
        const State before = s;
        model::ActionList actions;
        system.enabled_actions(s, actions);
        std::vector<std::pair<Action, State>> offered;
        system.for_each_successor(s, [&](const Action& a, const State& t) { offered.emplace_back(a, t); });
        mismatched += offered.size() != static_cast<std::size_t>(actions.size());
        std::size_t k = 0;
        for (const Action& a : actions) {
            State input = s;
            const State once = system.apply(input, a);
            const State twice = system.apply(input, a);
            touched += !same_bytes(input, before);
            nondeterministic += !same_bytes(once, twice);
            if (k < offered.size()) mismatched += !(offered[k].first == a) || !same_bytes(offered[k].second, once);
            ++k;
        }
        touched += !same_bytes(s, before);
    }
    BOOST_TEST(touched == 0u);
    BOOST_TEST(nondeterministic == 0u);
    BOOST_TEST(mismatched == 0u);
}

// ------------------------------------------------------------------ the State's layout

// 6 alert slots of 18 bytes, 24 incidents of 4 bytes, the incident count, 4 subscriptions, their
// 4 coverages and the automation deployment: 108 + 96 + 1 + 4 + 4 + 1 bytes, all single bytes.
static_assert(std::has_unique_object_representations_v<State>, "the checker hashes and compares State's bytes");
static_assert(std::is_trivially_copyable_v<State>);
static_assert(sizeof(model::AlertSlot) == 18);
static_assert(sizeof(model::Incident) == 4);
static_assert(sizeof(State) == 214);
static_assert(alignof(State) == 1);

BOOST_AUTO_TEST_CASE(state_has_no_padding_and_is_214_bytes) {
    BOOST_TEST_MESSAGE("sizeof(State) = " << sizeof(State) << " bytes (AlertSlot " << sizeof(model::AlertSlot)
                                          << ", Incident " << sizeof(model::Incident) << ", Action " << sizeof(Action) << ")");
    BOOST_TEST(sizeof(State) == 6 * sizeof(model::AlertSlot) + 24 * sizeof(model::Incident) + 1 + 4 + 4 + 1);
    BOOST_TEST(std::has_unique_object_representations_v<Action>);
}

// ------------------------------------------------------------------ pinned state counts

// Exact counts, as Stateright's examples pin theirs. A change of count means the model changed:
// check that the change is intended, then update the numbers here.
struct Pinned {
    const char* config;
    std::uint64_t states;
    std::uint64_t transitions;
    std::uint32_t depth;
    friend std::ostream& operator<<(std::ostream& os, const Pinned& p) { return os << p.config; }
};

BOOST_DATA_TEST_CASE(state_counts_of_small_configurations_are_pinned,
                     bdata::make(std::vector<Pinned>{{"b02_sub_connector_with_rule", 35, 71, 7}, {"default", 21, 30, 6}}), pinned) {
    const System system(load(pinned.config));
    const auto result = checker::explore(system, {});
    BOOST_TEST(result.stats.complete);
    BOOST_TEST(result.stats.states == pinned.states);
    BOOST_TEST(result.stats.transitions == pinned.transitions);
    BOOST_TEST(result.stats.depth == pinned.depth);
    BOOST_TEST(reachable(system).size() == pinned.states);  // the checker's visited set dedups as a plain BFS does
}

// ------------------------------------------------------------------ fairness

struct Fairness {
    ActionKind kind;
    bool fair;
    friend std::ostream& operator<<(std::ostream& os, const Fairness& f) {
        return os << "action kind " << static_cast<int>(f.kind) << " (" << model::actor(f.kind) << ")";
    }
};

// As model/action.hpp documents: the environment, the analysts and the faults may never act;
// the connectors, rules and services must, while they can.
const std::vector<Fairness> kFairness{
    {ActionKind::CreateSubscription, false},
    {ActionKind::RaiseAlert, false},
    {ActionKind::ResolveInMdc, false},
    {ActionKind::DismissInMdc, false},
    {ActionKind::ReopenInMdc, false},
    {ActionKind::CloseInSentinel, false},
    {ActionKind::CloseInXdr, false},
    {ActionKind::ForwardBySubscriptionConnector, true},
    {ActionKind::DeliverByTenantConnector, true},
    {ActionKind::IngestInXdr, true},
    {ActionKind::BringXdrIncident, true},
    {ActionKind::CreateIncidentByRule, true},
    {ActionKind::CreateIncidentByTimeWindowRule, true},
    {ActionKind::CloseByAutomation, true},
    {ActionKind::DeliverAgainByTenantConnector, false},
    {ActionKind::CorrelateInXdr, false},
};

BOOST_AUTO_TEST_CASE(the_fairness_table_lists_every_action_kind_once_in_order) {
    BOOST_TEST_REQUIRE(kFairness.size() == static_cast<std::size_t>(model::kActionKinds));
    for (int k = 0; k < model::kActionKinds; ++k) BOOST_TEST(static_cast<int>(kFairness[k].kind) == k);
}

BOOST_DATA_TEST_CASE(is_fair_classifies_each_action_kind_as_documented, bdata::make(kFairness), row) {
    BOOST_TEST(model::is_fair(row.kind) == row.fair);
    const System system(model::Config{});
    BOOST_TEST(system.is_fair(Action{row.kind}) == row.fair);
    BOOST_TEST(!model::actor(row.kind).empty());
    BOOST_TEST(model::actor(row.kind) != "?");
}

BOOST_AUTO_TEST_SUITE_END()

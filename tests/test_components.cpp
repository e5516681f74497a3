// Each component's Boost.MSM machine against the TransitionTable the explorer reads instead.
//
// derive_table (model/msm_table.hpp) reads a table off a machine by running copies of it. These
// tests check the result independently of how derive_table works: for every component and every
// combination of its configuration switches, every state the table says is reachable is reached
// on a FRESH machine by replaying a path the table itself gives, and from there MSM and the table
// must agree on every event (taken or not, and where to). They also pin the MSM fact derive_table
// depends on (STYLE.md, "Boost.MSM facts that bite", fact 1), that no state of a component is dead,
// and that the switches really feed the guards.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <boost/core/demangle.hpp>
#include <boost/mpl/list.hpp>
#include <boost/mpl/size.hpp>

#include "model/automation_rule.hpp"
#include "model/defender_xdr.hpp"
#include "model/environment.hpp"
#include "model/incident_creation_rule.hpp"
#include "model/mdc_alert.hpp"
#include "model/msm_table.hpp"
#include "model/security_alert_table.hpp"
#include "model/sentinel_incident.hpp"
#include "model/subscription_connector.hpp"
#include "model/tenant_connector.hpp"
#include "model/xdr_connector.hpp"

namespace {

namespace model = alertflow::model;
using boost::msm::back::HANDLED_TRUE;

constexpr bool on(unsigned mask, std::size_t bit) { return ((mask >> bit) & 1u) != 0; }

// Calls a component's make_*table with switch combination `mask`: bit i is the i-th switch, in the
// order the component's Attributes declares them (a factory taking one bool has one switch, a
// nullary one none).
template <std::size_t Switches, class Table>
Table make_with(Table (*make)(), unsigned) {
    return make();
}
template <std::size_t Switches, class Table, class Arg>
Table make_with(Table (*make)(Arg), unsigned mask) {
    using Attributes = std::remove_cvref_t<Arg>;
    if constexpr (std::is_same_v<Attributes, bool>) {
        static_assert(Switches == 1);
        return make(on(mask, 0));
    } else {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return make(Attributes{on(mask, I)...});
        }(std::make_index_sequence<Switches>{});
    }
}

// One component: its back-end machine, its Events tuple, the factory the System calls, and the
// machine's configuration switches (the bool members of its front-end), in the factory's order.
// The test configures machines through these member pointers, never through the factory, so a
// factory that wires an attribute to the wrong switch shows up as a disagreement.
template <class MachineT, class EventsT, auto Make, auto... Switches>
struct Component {
    using Machine = MachineT;
    using Events = EventsT;
    using Table = decltype(make_with<sizeof...(Switches)>(Make, 0u));
    using State = typename Table::StateType;
    using Event = typename Table::EventType;
    static constexpr std::size_t kSwitches = sizeof...(Switches);
    static constexpr unsigned kCombinations = 1u << kSwitches;

    static Table table(unsigned mask) { return make_with<kSwitches>(Make, mask); }

    // Machines are never returned by value: a move silently resets them (MSM fact 1).
    static void start_fresh(Machine& m, [[maybe_unused]] unsigned mask) {
        [[maybe_unused]] std::size_t bit = 0;
        ((m.*Switches = on(mask, bit++)), ...);
        m.start();
    }
    static State current(const Machine& m) { return model::current_state_of<Machine, State>(m); }
    static int process(Machine& m, std::size_t event) { return model::process_event_by_index<Machine, Events>(m, event); }
};

namespace sub = model::subscription_connector;
namespace env = model::environment;

// clang-format off
struct MdcAlert : Component<model::mdc_alert::Machine, model::mdc_alert::Events, &model::mdc_alert::make_table, &model::mdc_alert::Machine_::reopen_allowed> {};
struct SubscriptionCoverage : Component<sub::CoverageMachine, sub::CoverageEvents, &sub::make_coverage_table, &sub::CoverageMachine_::enabled, &sub::CoverageMachine_::new_subscription_policy, &sub::CoverageMachine_::bidirectional_sync> {};
struct SubscriptionForwarding : Component<sub::ForwardingMachine, sub::ForwardingEvents, &sub::make_forwarding_table> {};
struct TenantConnector : Component<model::tenant_connector::Machine, model::tenant_connector::Events, &model::tenant_connector::make_table, &model::tenant_connector::Machine_::enabled, &model::tenant_connector::Machine_::any_order, &model::tenant_connector::Machine_::duplicates_fault> {};
struct DefenderXdr : Component<model::defender_xdr::Machine, model::defender_xdr::Events, &model::defender_xdr::make_table, &model::defender_xdr::Machine_::all_alerts, &model::defender_xdr::Machine_::correlation_fault> {};
struct XdrConnector : Component<model::xdr_connector::Machine, model::xdr_connector::Events, &model::xdr_connector::make_table, &model::xdr_connector::Machine_::enabled, &model::xdr_connector::Machine_::incident_before_alert_fault> {};
struct IncidentCreationRule : Component<model::incident_creation_rule::Machine, model::incident_creation_rule::Events, &model::incident_creation_rule::make_table, &model::incident_creation_rule::Machine_::enabled> {};
struct SecurityAlertTable : Component<model::security_alert_table::Machine, model::security_alert_table::Events, &model::security_alert_table::make_table> {};
struct SentinelIncident : Component<model::sentinel_incident::Machine, model::sentinel_incident::Events, &model::sentinel_incident::make_table> {};
struct AutomationRule : Component<model::automation_rule::Machine, model::automation_rule::Events, &model::automation_rule::make_table, &model::automation_rule::Machine_::close_new_incidents> {};
struct EnvironmentSubscription : Component<env::SubscriptionMachine, env::SubscriptionEvents, &env::make_subscription_table> {};
struct EnvironmentAnalysts : Component<env::AnalystsMachine, env::AnalystEvents, &env::make_analysts_table, &env::AnalystsMachine_::close_in_mdc, &env::AnalystsMachine_::reopen_in_mdc, &env::AnalystsMachine_::close_in_sentinel, &env::AnalystsMachine_::close_in_xdr> {};
// clang-format on

using Components = boost::mpl::list<MdcAlert, SubscriptionCoverage, SubscriptionForwarding, TenantConnector, DefenderXdr,
                                    XdrConnector, IncidentCreationRule, SecurityAlertTable, SentinelIncident, AutomationRule,
                                    EnvironmentSubscription, EnvironmentAnalysts>;

template <class C>
std::string describe(unsigned mask) {
    return boost::core::demangle(typeid(C).name()) + " with switches " + std::to_string(mask);
}

template <class E>
int as_int(E e) {
    return static_cast<int>(e);
}

// For every state the table reaches: the events that lead there from the initial state, found
// by breadth-first search over the TABLE's entries (nullopt where the table reaches nothing).
template <class C>
std::array<std::optional<std::vector<std::size_t>>, C::Table::kStates> paths_in_table(const typename C::Table& table,
                                                                                       typename C::State initial) {
    std::array<std::optional<std::vector<std::size_t>>, C::Table::kStates> paths;
    paths[as_int(initial)].emplace();
    std::deque<typename C::State> frontier{initial};
    while (!frontier.empty()) {
        const auto s = frontier.front();
        frontier.pop_front();
        for (std::size_t e = 0; e < C::Table::kEvents; ++e) {
            const auto t = table.next(s, static_cast<typename C::Event>(e));
            if (!t || paths[as_int(*t)]) continue;
            auto path = *paths[as_int(s)];
            path.push_back(e);
            paths[as_int(*t)] = std::move(path);
            frontier.push_back(*t);
        }
    }
    return paths;
}

// The table of one switch combination against MSM, on every reachable (state, event) pair.
template <class C>
void check_table_agrees_with_msm(unsigned mask) {
    using Machine = typename C::Machine;
    using State = typename C::State;
    BOOST_TEST_CONTEXT(describe<C>(mask)) {
        const auto table = C::table(mask);
        Machine probe;
        C::start_fresh(probe, mask);
        const State initial = C::current(probe);
        BOOST_TEST(table.reached(initial));
        const auto paths = paths_in_table<C>(table, initial);

        for (std::size_t i = 0; i < C::Table::kStates; ++i) {
            const auto s = static_cast<State>(i);
            BOOST_TEST_CONTEXT("state " << i) {
                // derive_table marks exactly what its own entries connect to the initial state.
                BOOST_TEST(table.reached(s) == paths[i].has_value());
                if (!paths[i]) {
                    for (std::size_t e = 0; e < C::Table::kEvents; ++e)
                        BOOST_TEST(!table.next(s, static_cast<typename C::Event>(e)).has_value(), "event " << e);
                    continue;
                }
                Machine m;
                C::start_fresh(m, mask);
                for (std::size_t e : *paths[i]) BOOST_TEST(C::process(m, e) == HANDLED_TRUE, "replaying event " << e);
                BOOST_TEST(as_int(C::current(m)) == as_int(s));

                const Machine& at = m;  // copies from a const reference keep the state (MSM fact 1)
                for (std::size_t e = 0; e < C::Table::kEvents; ++e) {
                    BOOST_TEST_CONTEXT("event " << e) {
                        Machine copy(at);
                        BOOST_TEST(as_int(C::current(copy)) == as_int(s));
                        const bool handled = C::process(copy, e) == HANDLED_TRUE;
                        const auto expected = table.next(s, static_cast<typename C::Event>(e));
                        BOOST_TEST(handled == expected.has_value());
                        if (handled && expected) BOOST_TEST(as_int(C::current(copy)) == as_int(*expected));
                    }
                }
            }
        }
    }
}

template <class C>
bool same_table(const typename C::Table& x, const typename C::Table& y) {
    for (std::size_t i = 0; i < C::Table::kStates; ++i) {
        const auto s = static_cast<typename C::State>(i);
        if (x.reached(s) != y.reached(s)) return false;
        for (std::size_t e = 0; e < C::Table::kEvents; ++e)
            if (x.next(s, static_cast<typename C::Event>(e)) != y.next(s, static_cast<typename C::Event>(e))) return false;
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_components)

BOOST_AUTO_TEST_CASE_TEMPLATE(table_agrees_with_msm_on_every_reachable_state_and_event, C, Components) {
    for (unsigned mask = 0; mask < C::kCombinations; ++mask) check_table_agrees_with_msm<C>(mask);
}

// The enum a table is indexed by and the machine's states are the same set: every MSM state
// names a distinct enum value below the table's state count, and there are as many of each.
BOOST_AUTO_TEST_CASE_TEMPLATE(each_msm_state_names_a_distinct_enum_value, C, Components) {
    using stt = typename C::Machine::stt;
    using states = typename boost::msm::back::generate_state_set<stt>::type;
    BOOST_TEST(static_cast<std::size_t>(boost::mpl::size<states>::value) == C::Table::kStates);
    BOOST_TEST(std::tuple_size_v<typename C::Events> == C::Table::kEvents);
    std::array<int, C::Table::kStates> named{};
    boost::mpl::for_each<states, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto w) {
        using S = typename model::detail::unwrap<decltype(w)>::type;
        const auto value = static_cast<std::size_t>(S::value);
        BOOST_TEST_REQUIRE(value < C::Table::kStates);
        ++named[value];
    });
    for (std::size_t i = 0; i < C::Table::kStates; ++i) BOOST_TEST(named[i] == 1, "enum value " << i);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(every_state_is_reachable_under_some_switch_combination, C, Components) {
    std::array<bool, C::Table::kStates> reached{};
    for (unsigned mask = 0; mask < C::kCombinations; ++mask) {
        const auto table = C::table(mask);
        for (std::size_t i = 0; i < C::Table::kStates; ++i) reached[i] = reached[i] || table.reached(static_cast<typename C::State>(i));
    }
    for (std::size_t i = 0; i < C::Table::kStates; ++i)
        BOOST_TEST(reached[i], boost::core::demangle(typeid(C).name()) << ": state " << i << " is dead");
}

// No switch is decorative: for each one, some combination of the others makes flipping it
// change the table.
BOOST_AUTO_TEST_CASE_TEMPLATE(every_switch_changes_the_table_somewhere, C, Components) {
    BOOST_TEST(same_table<C>(C::table(0), C::table(0)), "deriving a table twice gives the same table");
    for (std::size_t bit = 0; bit < C::kSwitches; ++bit) {
        bool matters = false;
        for (unsigned mask = 0; mask < C::kCombinations && !matters; ++mask)
            if (!on(mask, bit)) matters = !same_table<C>(C::table(mask), C::table(mask | 1u << bit));
        BOOST_TEST(matters, boost::core::demangle(typeid(C).name()) << ": switch " << bit << " never changes the table");
    }
}

BOOST_AUTO_TEST_CASE(mdc_alert_can_be_reopened_only_when_the_switch_allows_it) {
    using model::mdc_alert::Event;
    using model::mdc_alert::Status;
    const auto closed = model::mdc_alert::make_table({.reopen_allowed = false});
    const auto reopenable = model::mdc_alert::make_table({.reopen_allowed = true});
    for (Status s : {Status::Resolved, Status::Dismissed}) {
        BOOST_TEST(closed.reached(s));
        BOOST_TEST(!closed.accepts(s, Event::ReopenedByAnalyst));
        BOOST_TEST((reopenable.next(s, Event::ReopenedByAnalyst) == std::optional{Status::Active}));
    }
    BOOST_TEST(!reopenable.accepts(Status::Active, Event::ReopenedByAnalyst));
}

BOOST_AUTO_TEST_CASE(tenant_connector_delivers_again_only_with_the_duplicate_fault) {
    using namespace model::tenant_connector;
    const auto plain = make_table({.enabled = true, .any_order = true, .duplicates_fault = false});
    const auto faulty = make_table({.enabled = true, .any_order = true, .duplicates_fault = true});
    BOOST_TEST(!plain.accepts(Delivery::UpToDate, Event::DeliveredAgain));
    BOOST_TEST(!plain.reached(Delivery::UpToDateDuplicateSpent));
    BOOST_TEST((faulty.next(Delivery::UpToDate, Event::DeliveredAgain) == std::optional{Delivery::UpToDateDuplicateSpent}));
    BOOST_TEST(!faulty.accepts(Delivery::UpToDateDuplicateSpent, Event::DeliveredAgain));  // once only
}

BOOST_AUTO_TEST_CASE(tenant_connector_delivers_ahead_only_in_any_order_timing) {
    using namespace model::tenant_connector;
    const auto ordered = make_table({.enabled = true, .any_order = false, .duplicates_fault = false});
    const auto any = make_table({.enabled = true, .any_order = true, .duplicates_fault = false});
    BOOST_TEST(ordered.accepts(Delivery::Owes, Event::Delivered));
    BOOST_TEST(!ordered.accepts(Delivery::Owes, Event::DeliveredAhead));
    BOOST_TEST(any.accepts(Delivery::Owes, Event::DeliveredAhead));
    BOOST_TEST(!make_table({.enabled = false, .any_order = true, .duplicates_fault = true}).accepts(Delivery::Silent, Event::Triggered));
}

BOOST_AUTO_TEST_CASE(xdr_incident_comes_before_its_row_only_with_the_fault) {
    using namespace model::xdr_connector;
    BOOST_TEST(!make_table({.enabled = true, .incident_before_alert_fault = false}).accepts(Sync::NotInSentinel, Event::BroughtBeforeRow));
    BOOST_TEST(make_table({.enabled = true, .incident_before_alert_fault = true}).accepts(Sync::NotInSentinel, Event::BroughtBeforeRow));
    BOOST_TEST(!make_table({.enabled = false, .incident_before_alert_fault = true}).accepts(Sync::NotInSentinel, Event::BroughtBeforeRow));
}

BOOST_AUTO_TEST_CASE(subscription_connector_covers_late_subscriptions_only_under_the_policy) {
    using namespace model::subscription_connector;
    const auto without = make_coverage_table({.enabled = true, .new_subscription_policy = false, .bidirectional_sync = true});
    const auto with = make_coverage_table({.enabled = true, .new_subscription_policy = true, .bidirectional_sync = true});
    const auto off = make_coverage_table({.enabled = false, .new_subscription_policy = true, .bidirectional_sync = true});
    BOOST_TEST(!without.accepts(Coverage::NotCovered, CoverageEvent::SubscriptionCreated));
    BOOST_TEST(with.accepts(Coverage::NotCovered, CoverageEvent::SubscriptionCreated));
    BOOST_TEST(!off.accepts(Coverage::NotCovered, CoverageEvent::SubscriptionCreated));
    BOOST_TEST(!off.reached(Coverage::Covered));
}

// MSM fact 1 (STYLE.md): a back-end machine copied from a const reference keeps its current
// state and its front-end data. Copied from a NON-const lvalue, or moved, the variadic forwarding
// constructor of msm::back::state_machine wins over the copy constructor: it copies the
// front-end (so the switches survive) but starts the states afresh, silently resetting the
// machine to its initial state. That is why derive_table and these tests copy only from const
// references and never return a machine by value.
BOOST_AUTO_TEST_CASE(a_machine_copied_from_a_const_reference_keeps_its_state) {
    using namespace model::mdc_alert;
    Machine m;
    m.reopen_allowed = true;
    m.start();
    m.process_event(Raised{});
    m.process_event(ResolvedByAnalyst{});
    BOOST_TEST_REQUIRE(as_int(current_state_of<Machine, Status>(m)) == as_int(Status::Resolved));

    const Machine& frozen = m;
    Machine copy(frozen);
    BOOST_TEST(as_int(current_state_of<Machine, Status>(copy)) == as_int(Status::Resolved));
    BOOST_TEST(copy.reopen_allowed);
    BOOST_TEST(copy.process_event(ReopenedByAnalyst{}) == HANDLED_TRUE);  // and it runs on from there
    BOOST_TEST(as_int(current_state_of<Machine, Status>(copy)) == as_int(Status::Active));
    BOOST_TEST(as_int(current_state_of<Machine, Status>(m)) == as_int(Status::Resolved));  // the original is untouched

    Machine assigned;
    assigned = m;  // copy assignment has no forwarding rival: it keeps the state too
    BOOST_TEST(as_int(current_state_of<Machine, Status>(assigned)) == as_int(Status::Resolved));
}

BOOST_AUTO_TEST_CASE(a_machine_copied_from_a_non_const_lvalue_or_moved_is_reset) {
    using namespace model::mdc_alert;
    Machine m;
    m.reopen_allowed = true;
    m.start();
    m.process_event(Raised{});
    BOOST_TEST_REQUIRE(as_int(current_state_of<Machine, Status>(m)) == as_int(Status::Active));

    Machine reset(m);  // the forwarding constructor, not the copy constructor
    BOOST_TEST(as_int(current_state_of<Machine, Status>(reset)) == as_int(Status::NotRaised));
    BOOST_TEST(reset.reopen_allowed);  // the front-end's data is copied all the same

    Machine moved(std::move(m));
    BOOST_TEST(as_int(current_state_of<Machine, Status>(moved)) == as_int(Status::NotRaised));
}

BOOST_AUTO_TEST_SUITE_END()

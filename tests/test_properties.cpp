// The property catalog: its ids, kinds and words, and for every property a configuration where it
// holds without holding vacuously and one where it is violated.
//
// "X is reachable" is shown by exploring with the invariant "not X" and finding it Violated;
// "some complete run ends in X" likewise with the eventually-check "not X".
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cstddef>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "checker/explore.hpp"
#include "cli/config_yaml.hpp"
#include "model/system.hpp"
#include "properties/catalog.hpp"

namespace {

namespace model = alertflow::model;
namespace checker = alertflow::checker;
namespace properties = alertflow::properties;
namespace bdata = boost::unit_test::data;
using checker::PropertyKind;
using checker::Verdict;
using model::State;

model::Config load(const std::string& name) {
    return alertflow::cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/configs/" + name + ".yaml");
}

std::string_view verdict_name(Verdict v) {
    return v == Verdict::Holds ? "Holds" : v == Verdict::Violated ? "Violated" : "Unknown";
}

// ---- the situations a property talks about

bool some_raised_alert_is_held_by_an_open_incident(const State& s) {
    for (int i = 0; i < s.incident_count; ++i)
        for (int a = 0; a < model::kMaxAlerts; ++a)
            if (s.incidents[i].open() && s.incidents[i].holds(a) && s.alerts[a].raised()) return true;
    return false;
}

bool some_incident_holds_an_alert(const State& s) {
    for (int i = 0; i < s.incident_count; ++i)
        if (s.incidents[i].alerts != 0) return true;
    return false;
}

bool some_alert_has_rows_of_two_statuses(const State& s) {
    for (const model::AlertSlot& slot : s.alerts)
        for (int r = 1; r < slot.row_count; ++r)
            if (slot.row(r).status != slot.row(0).status) return true;
    return false;
}

bool some_alert_is_raised(const State& s) {
    for (const model::AlertSlot& slot : s.alerts)
        if (slot.raised()) return true;
    return false;
}

bool some_raised_alert_has_a_row(const State& s) {
    for (const model::AlertSlot& slot : s.alerts)
        if (slot.raised() && slot.row_count > 0) return true;
    return false;
}

bool some_incident_was_closed(const State& s) {
    for (int i = 0; i < s.incident_count; ++i)
        if (s.incidents[i].status == model::sentinel_incident::Status::Closed) return true;
    return false;
}

bool some_incident_holds_a_closed_alert(const State& s) {
    for (int i = 0; i < s.incident_count; ++i)
        for (int a = 0; a < model::kMaxAlerts; ++a)
            if (s.incidents[i].holds(a) && model::mdc_alert::is_closed(s.alerts[a].mdc)) return true;
    return false;
}

bool some_closed_alert_has_a_row(const State& s) {
    for (const model::AlertSlot& slot : s.alerts)
        if (model::mdc_alert::is_closed(slot.mdc) && slot.row_count > 0) return true;
    return false;
}

// Explores `config` with the property and "not situation" of the given kind; returns both results.
struct Outcome {
    Verdict property = Verdict::Unknown;
    Verdict not_situation = Verdict::Unknown;
    std::string note;
    bool trace_ends_in_violation = false;
    bool complete = false;
};

Outcome explore(const std::string& config, const properties::Property& property, PropertyKind situation_kind,
                bool (*situation)(const State&)) {
    const model::System system(load(config));
    const std::vector<checker::Check<State>> checks{
        properties::to_check(property),
        {"not-situation", situation_kind, [situation](const State& s) { return !situation(s); }},
    };
    const auto result = checker::explore(system, checks);
    Outcome o;
    o.property = result.checks[0].verdict;
    o.not_situation = result.checks[1].verdict;
    o.note = result.checks[0].note;
    o.complete = result.stats.complete;
    if (result.checks[0].trace) o.trace_ends_in_violation = !property.holds(result.checks[0].trace->states.back());
    return o;
}

// ---- data

struct Expected {
    std::string_view id;
    PropertyKind kind;
};

const std::vector<Expected> kCatalog{
    {"exactly-one-incident", PropertyKind::Eventually},
    {"no-lost-alert", PropertyKind::Eventually},
    {"no-duplicate-incident", PropertyKind::Invariant},
    {"incident-has-alert", PropertyKind::Eventually},
    {"incident-never-empty", PropertyKind::Invariant},
    {"sentinel-close-reaches-mdc", PropertyKind::Eventually},
    {"mdc-close-reaches-sentinel", PropertyKind::Eventually},
    {"status-converges", PropertyKind::Eventually},
    {"no-duplicate-rows", PropertyKind::Invariant},
    {"all-subscriptions-covered", PropertyKind::Eventually},
    {"time-window-rule-sees-alert", PropertyKind::Eventually},
};

// A property, a configuration where it holds and where the situation it talks about does occur
// (reachable, for an invariant; at the end of some complete run, for an eventually-property), and
// a configuration where it is violated.
struct Witness {
    std::string_view id;
    std::string holds_in;
    std::string_view situation_name;
    bool (*situation)(const State&);
    std::string violated_in;
    friend std::ostream& operator<<(std::ostream& os, const Witness& w) {
        return os << w.id << " (holds in " << w.holds_in << ", violated in " << w.violated_in << ")";
    }
};

const std::vector<Witness> kInvariantWitnesses{
    {"no-duplicate-incident", "default", "a raised alert is held by an open incident",
     some_raised_alert_is_held_by_an_open_incident, "b12_xdr_connector_plus_rule"},
    {"incident-never-empty", "default", "an incident holds an alert", some_incident_holds_an_alert,
     "b14_xdr_incident_before_alert"},
    {"no-duplicate-rows", "b02_sub_connector_with_rule", "an alert has rows of two statuses (Active, then closed)",
     some_alert_has_rows_of_two_statuses, "b15_tenant_duplicates"},
};

const std::vector<Witness> kEventuallyWitnesses{
    {"exactly-one-incident", "default", "a run ends with an alert raised", some_alert_is_raised,
     "b12_xdr_connector_plus_rule"},
    {"no-lost-alert", "b02_sub_connector_with_rule", "a run ends with an alert raised", some_alert_is_raised,
     "b01_sub_connector_no_rule"},
    {"incident-has-alert", "b14_xdr_incident_before_alert", "a run ends with an incident holding an alert",
     some_incident_holds_an_alert, "b10_xdr_connector_only"},
    {"sentinel-close-reaches-mdc", "b03_sub_sync_closes_mdc", "a run ends with an incident closed",
     some_incident_was_closed, "b05_sub_sync_off"},
    {"mdc-close-reaches-sentinel", "b11_xdr_with_tenant_connector", "a run ends with an incident holding a closed alert",
     some_incident_holds_a_closed_alert, "b04_mdc_close_leaves_incident"},
    {"status-converges", "b11_xdr_with_tenant_connector", "a run ends with a closed alert that has rows",
     some_closed_alert_has_a_row, "b05_sub_sync_off"},
    {"all-subscriptions-covered", "b02_sub_connector_with_rule", "a run ends with an alert raised", some_alert_is_raised,
     "b09_late_subscription"},
    {"time-window-rule-sees-alert", "b02_sub_connector_with_rule", "a run ends with a raised alert that has a row",
     some_raised_alert_has_a_row, "b17_start_time_skew"},
};

void check_witness(const Witness& w, PropertyKind kind) {
    const properties::Property* property = properties::find(w.id);
    BOOST_TEST_REQUIRE(property != nullptr);
    BOOST_TEST_REQUIRE((property->kind == kind));

    const Outcome held = explore(w.holds_in, *property, kind, w.situation);
    BOOST_TEST(held.complete);
    BOOST_TEST(verdict_name(held.property) == "Holds", "in " << w.holds_in << ": " << held.note);
    BOOST_TEST(verdict_name(held.not_situation) == "Violated", "in " << w.holds_in << ", never: " << w.situation_name);

    const Outcome broken = explore(w.violated_in, *property, kind, w.situation);
    BOOST_TEST(verdict_name(broken.property) == "Violated", "in " << w.violated_in);
    BOOST_TEST(broken.trace_ends_in_violation);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(properties_catalog)

BOOST_AUTO_TEST_CASE(catalog_has_exactly_the_documented_ids_in_order_with_their_kinds) {
    const auto& catalog = properties::catalog();
    BOOST_TEST_REQUIRE(catalog.size() == kCatalog.size());
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        BOOST_TEST(catalog[i].id == kCatalog[i].id);
        BOOST_TEST((catalog[i].kind == kCatalog[i].kind), catalog[i].id << " is " << properties::kind_name(catalog[i].kind));
        BOOST_TEST(catalog[i].holds != nullptr);
    }
}

BOOST_AUTO_TEST_CASE(every_meaning_is_one_sentence_ending_with_a_full_stop) {
    for (const properties::Property& p : properties::catalog()) {
        BOOST_TEST_CONTEXT(p.id) {
            const std::string_view m = p.meaning;
            BOOST_TEST_REQUIRE(!m.empty());
            BOOST_TEST(std::isupper(static_cast<unsigned char>(m.front())));
            BOOST_TEST(m.back() == '.');
            BOOST_TEST(m.find(". ") == std::string_view::npos);  // no second sentence
        }
    }
}

BOOST_AUTO_TEST_CASE(every_property_speaks_to_observed_behaviours_b1_to_b17) {
    for (const properties::Property& p : properties::catalog()) {
        BOOST_TEST_CONTEXT(p.id << ": \"" << p.speaks_to << '"') {
            std::istringstream items{std::string(p.speaks_to)};
            std::set<int> seen;
            std::size_t count = 0;
            for (std::string item; items >> item;) {
                ++count;
                BOOST_TEST_CONTEXT(item) {
                    const bool shaped = item.size() >= 2 && item.size() <= 3 && item[0] == 'B' && item[1] != '0' &&
                                        std::isdigit(static_cast<unsigned char>(item[1])) &&
                                        (item.size() == 2 || std::isdigit(static_cast<unsigned char>(item[2])));
                    BOOST_TEST(shaped);
                    if (!shaped) continue;
                    const int n = std::stoi(item.substr(1));
                    BOOST_TEST(n >= 1);
                    BOOST_TEST(n <= 17);
                    BOOST_TEST(seen.insert(n).second, "listed twice");
                }
            }
            BOOST_TEST(count > 0u);
            // single spaces only: the items, joined, are the text
            BOOST_TEST(p.speaks_to.find("  ") == std::string_view::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(find_returns_each_catalog_entry_and_nullptr_for_an_unknown_id) {
    for (const properties::Property& p : properties::catalog()) BOOST_TEST(properties::find(p.id) == &p);
    BOOST_TEST(properties::find("no-such-property") == nullptr);
    BOOST_TEST(properties::find("") == nullptr);
    BOOST_TEST(properties::find("Exactly-One-Incident") == nullptr);  // ids are exact
}

BOOST_AUTO_TEST_CASE(to_check_keeps_the_id_kind_predicate_and_what_it_reads) {
    const model::State initial = model::System(model::Config{}).initial_states().front();
    for (const properties::Property& p : properties::catalog()) {
        const auto check = properties::to_check(p);
        BOOST_TEST(check.id == p.id);
        BOOST_TEST((check.kind == p.kind));
        BOOST_TEST(check.reads == p.reads);
        BOOST_TEST(check.holds(initial) == p.holds(initial));
    }
    BOOST_TEST(properties::kind_name(PropertyKind::Invariant) == "invariant");
    BOOST_TEST(properties::kind_name(PropertyKind::Eventually) == "eventually");
}

// Before anything happens, every property holds: no alert, no row, no incident.
BOOST_AUTO_TEST_CASE(every_property_holds_in_the_initial_state) {
    const model::State initial = model::System(model::Config{}).initial_states().front();
    for (const properties::Property& p : properties::catalog()) BOOST_TEST(p.holds(initial), p.id);
}

// What each property declares it reads is what slicing relies on (System::sliced): a property
// that says it leaves the SecurityAlert rows alone gives the same answer on every reachable
// state with its rows wiped, and each property that says it reads them gives a different answer
// on some state (so this test would catch a wrong declaration either way round).
BOOST_AUTO_TEST_CASE(properties_read_the_rows_exactly_when_they_say_so) {
    model::Config config = alertflow::cli::load_config(std::string(ALERTFLOW_SOURCE_DIR) + "/bench/all_switches_on.yaml");
    config.scope.alerts = 1;
    std::vector<State> reachable;
    const checker::Check<State> collect{"collect", PropertyKind::Invariant, [&](const State& s) {
                                            reachable.push_back(s);
                                            return true;
                                        }};
    const checker::Options options{.limits = {}, .reductions = {true, true}};
    BOOST_TEST_REQUIRE(checker::explore(model::System(config), {collect}, options).stats.complete);
    for (const properties::Property& p : properties::catalog()) {
        const bool reads_rows = p.reads_rows();
        int differs = 0;
        for (State s : reachable) {
            const bool before = p.holds(s);
            for (model::AlertSlot& slot : s.alerts) {
                slot.row_count = 0;
                slot.rows = {};
                slot.presence = model::security_alert_table::Presence::NoRows;
            }
            differs += p.holds(s) != before;
        }
        BOOST_TEST((differs > 0) == reads_rows, p.id << ": " << differs << " of " << reachable.size() << " states differ");
    }
}

BOOST_AUTO_TEST_CASE(the_witness_tables_cover_every_property_of_each_kind) {
    std::set<std::string_view> invariants;
    std::set<std::string_view> eventually;
    for (const Witness& w : kInvariantWitnesses) invariants.insert(w.id);
    for (const Witness& w : kEventuallyWitnesses) eventually.insert(w.id);
    for (const properties::Property& p : properties::catalog()) {
        const auto& table = p.kind == PropertyKind::Invariant ? invariants : eventually;
        BOOST_TEST(table.count(p.id) == 1u, p.id << " has no witness");
    }
    BOOST_TEST(invariants.size() + eventually.size() == properties::catalog().size());
}

// Each invariant holds in a configuration where the states it talks about are reachable (so it
// does not hold vacuously), and is violated in another.
BOOST_DATA_TEST_CASE(each_invariant_holds_non_vacuously_somewhere_and_is_violated_elsewhere, bdata::make(kInvariantWitnesses),
                     witness) {
    check_witness(witness, PropertyKind::Invariant);
}

// Each eventually-property holds in a configuration where some complete run ends in the situation
// it talks about, and is violated in another.
BOOST_DATA_TEST_CASE(each_eventually_property_holds_non_vacuously_somewhere_and_is_violated_elsewhere,
                     bdata::make(kEventuallyWitnesses), witness) {
    check_witness(witness, PropertyKind::Eventually);
}

BOOST_AUTO_TEST_SUITE_END()

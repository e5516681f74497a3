#include "properties/catalog.hpp"

#include "properties/predicates.hpp"

namespace alertflow::properties {

namespace p = predicates;

constexpr std::uint32_t kOthers = model::facts::others;
constexpr std::uint32_t kRowsAndOthers = model::facts::rows | model::facts::others;

const std::vector<Property>& catalog() {
    static const std::vector<Property> properties{
        {"exactly-one-incident", PropertyKind::Eventually,
         "Every MDC alert ends up in exactly one Sentinel incident that is not Redirected (open or closed).",
         "B2 B6 B8 B12 B13 B15", p::exactly_one_incident, kOthers},
        {"no-lost-alert", PropertyKind::Eventually,
         "At the end of every run, every MDC alert is held by at least one Sentinel incident.",
         "B1 B7 B9", p::no_lost_alert, kOthers},
        {"no-duplicate-incident", PropertyKind::Invariant,
         "At no moment do two open Sentinel incidents hold the same MDC alert.",
         "B8 B12 B15", p::no_duplicate_incident, kOthers},
        {"incident-has-alert", PropertyKind::Eventually,
         "No Sentinel incident stays without the SecurityAlert row of every alert it holds.",
         "B10 B11 B14", p::incident_has_alert, kRowsAndOthers},
        {"incident-never-empty", PropertyKind::Invariant,
         "No Sentinel incident is ever, even briefly, without the SecurityAlert row of an alert it holds.",
         "B10 B14", p::incident_has_alert, kRowsAndOthers},
        {"sentinel-close-reaches-mdc", PropertyKind::Eventually,
         "Closing a Sentinel incident eventually closes the MDC alerts it holds.",
         "B3 B5 B6 B11", p::sentinel_close_reaches_mdc, kOthers},
        {"mdc-close-reaches-sentinel", PropertyKind::Eventually,
         "Once the MDC alerts an incident holds are closed (by anyone), the Sentinel incident is eventually closed.",
         "B4 B11", p::mdc_close_reaches_sentinel, kOthers},
        {"status-converges", PropertyKind::Eventually,
         "Once everything is delivered, the newest SecurityAlert row of each alert and its incidents agree with the MDC status.",
         "B3 B4 B5 B6 B8", p::status_converges, kRowsAndOthers},
        {"no-duplicate-rows", PropertyKind::Invariant,
         "Each status change of an MDC alert appears once in SecurityAlert, over both connectors together.",
         "B8 B15", p::no_duplicate_rows, kRowsAndOthers},
        {"all-subscriptions-covered", PropertyKind::Eventually,
         "An alert from any subscription, subscriptions created later included, reaches the SecurityAlert table.",
         "B7 B9 B10", p::every_alert_has_a_row, kRowsAndOthers},
        {"time-window-rule-sees-alert", PropertyKind::Eventually,
         "A custom scheduled rule with `StartTime > ago(1h) and StartTime < now()` finds a row of every alert in SecurityAlert.",
         "B17", p::time_window_rule_sees_alert, kRowsAndOthers},
    };
    return properties;
}

const Property* find(std::string_view id) {
    for (const Property& p : catalog())
        if (p.id == id) return &p;
    return nullptr;
}

checker::Check<model::State> to_check(const Property& property) {
    return {std::string(property.id), property.kind, property.holds, property.reads};
}

std::string_view kind_name(PropertyKind kind) { return kind == PropertyKind::Invariant ? "invariant" : "eventually"; }

}  // namespace alertflow::properties

#pragma once
// The global state of the product system: a small, fixed-size value with no heap and no padding,
// so the checker can hash and compare its bytes. It holds each component's MSM state (as the
// enum its machine names) and the data the machines do not carry: the alert's status history,
// the SecurityAlert rows, and what each incident holds.
#include <array>
#include <cstdint>
#include <type_traits>

#include "model/automation_rule.hpp"
#include "model/config.hpp"
#include "model/defender_xdr.hpp"
#include "model/environment.hpp"
#include "model/incident_creation_rule.hpp"
#include "model/mdc_alert.hpp"
#include "model/security_alert_table.hpp"
#include "model/sentinel_incident.hpp"
#include "model/subscription_connector.hpp"
#include "model/tenant_connector.hpp"
#include "model/xdr_connector.hpp"

namespace alertflow::model {

using security_alert_table::SecurityAlertRow;
using security_alert_table::Writer;

// With one reopen per alert an alert has at most 4 statuses (Active, closed, Active, closed);
// the sub connector writes one row per status, the tenant connector at most one per status plus
// one duplicate: 9 rows. Rows are packed two to a byte.
inline constexpr int kMaxHistory = 4;
inline constexpr int kMaxRowsPerAlert = 10;
// One incident per alert from each rule and from the XDR connector, plus at most alerts-1 merges.
inline constexpr int kMaxIncidents = 4 * kMaxAlerts;

struct AlertSlot {
    mdc_alert::Status mdc = mdc_alert::Status::NotRaised;
    std::uint8_t history = 0;       // statuses in order, 2 bits each, oldest in the low bits
    std::uint8_t history_len = 0;
    std::uint8_t subscription = 0;  // index of the subscription the alert was raised in
    std::uint8_t future_start_time = 0;  // MDC gave the alert a StartTime in the future (B17)
    subscription_connector::Forwarding sub_forwarding = subscription_connector::Forwarding::UpToDate;
    tenant_connector::Delivery tenant_delivery = tenant_connector::Delivery::Silent;
    defender_xdr::Ingestion xdr = defender_xdr::Ingestion::NotIngested;
    xdr_connector::Sync xdr_connector = xdr_connector::Sync::NotInSentinel;
    incident_creation_rule::Lane rule = incident_creation_rule::Lane::Waiting;
    incident_creation_rule::Lane time_window_rule = incident_creation_rule::Lane::Waiting;
    security_alert_table::Presence presence = security_alert_table::Presence::NoRows;
    std::uint8_t row_count = 0;
    std::array<std::uint8_t, kMaxRowsPerAlert / 2> rows{};

    bool raised() const { return mdc != mdc_alert::Status::NotRaised; }
    mdc_alert::Status history_at(int i) const { return static_cast<mdc_alert::Status>((history >> (2 * i)) & 3u); }
    int times_entered(mdc_alert::Status s) const;
    SecurityAlertRow row(int i) const { return SecurityAlertRow::unpack((rows[i / 2] >> (4 * (i % 2))) & 0xfu); }
    void append_row(SecurityAlertRow r);
    void append_history(mdc_alert::Status s);
    friend bool operator==(const AlertSlot&, const AlertSlot&) = default;
};

enum class IncidentOrigin : std::uint8_t { IncidentCreationRule, TimeWindowRule, XdrConnector };

struct Incident {
    std::uint8_t alerts = 0;  // bit a: the incident holds alert a
    IncidentOrigin origin = IncidentOrigin::IncidentCreationRule;
    sentinel_incident::Status status = sentinel_incident::Status::New;
    Writer first_row_writer = Writer::SubscriptionConnector;  // for rule incidents: who wrote the row it came from

    bool holds(int alert) const { return (alerts >> alert) & 1u; }
    bool open() const { return status == sentinel_incident::Status::New; }
    bool redirected() const { return status == sentinel_incident::Status::Redirected; }
    // Incidents are kept sorted by this key, so that the order they were made in does not split
    // one situation into several states. (origin, alerts) is unique among incidents.
    int key() const { return static_cast<int>(origin) << 8 | alerts; }
    friend bool operator==(const Incident&, const Incident&) = default;
};

struct State {
    std::array<AlertSlot, kMaxAlerts> alerts{};
    std::array<Incident, kMaxIncidents> incidents{};
    std::uint8_t incident_count = 0;
    std::array<environment::Subscription, kMaxSubscriptions> subscriptions{};
    std::array<subscription_connector::Coverage, kMaxSubscriptions> coverage{};
    automation_rule::Deployment automation = automation_rule::Deployment::Off;

    friend bool operator==(const State&, const State&) = default;
    int total_rows() const;
};

// The facts a check may read, as bits of checker::Check::reads: System::sliced leaves out the
// components that only write facts no check reads, and System::cutoff needs checks that are
// conjunctions of facts about one alert and its incidents (every catalog property), which leave
// across_alerts clear. A check that sets every bit (the default) gets neither.
namespace facts {
inline constexpr std::uint32_t rows = 1;           // the SecurityAlert rows: any at all, their statuses, writers, StartTimes
inline constexpr std::uint32_t others = 2;         // everything else: MDC statuses, incidents, subscriptions
inline constexpr std::uint32_t across_alerts = 4;  // facts relating alerts to one another (counts or comparisons across alerts)
}  // namespace facts

static_assert(std::is_trivially_copyable_v<State>);
static_assert(std::has_unique_object_representations_v<State>, "State must have no padding: the checker hashes its bytes");

}  // namespace alertflow::model

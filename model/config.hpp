#pragma once
// The configuration of one connector set-up: plain data, no behaviour.
// Field names follow the YAML keys (see README "Configuration reference"); defaults are the
// values a key takes when it is left out of the YAML file.
#include <cstdint>

namespace alertflow::model {

// Scope limits: the state is a fixed-size value, so every array has a compile-time capacity.
inline constexpr int kMaxAlerts = 6;
inline constexpr int kMaxSubscriptions = 4;

enum class XdrMdcAlerts : std::uint8_t { All, None };          // Defender XDR "Microsoft Defender for Cloud alerts"
enum class Timing : std::uint8_t { AnyOrder, SubscriptionBeforeTenant };
enum class SyncScope : std::uint8_t { AlertId, OwnRows };       // which incidents the sub connector syncs back

struct SubscriptionConnectorConfig {
    bool enabled = true;
    bool bidirectional_sync = true;
    bool new_subscription_policy = false;  // subscriptions created later get the connector too
    int uncovered_subscriptions = 0;       // of those existing at set-up, how many it is NOT enabled for
    SyncScope sync_scope = SyncScope::AlertId;
    friend bool operator==(const SubscriptionConnectorConfig&, const SubscriptionConnectorConfig&) = default;
};

struct TenantConnectorConfig {
    bool enabled = false;
    friend bool operator==(const TenantConnectorConfig&, const TenantConnectorConfig&) = default;
};
struct XdrConnectorConfig {
    bool enabled = false;
    friend bool operator==(const XdrConnectorConfig&, const XdrConnectorConfig&) = default;
};

struct ConnectorsConfig {
    SubscriptionConnectorConfig subscription;
    TenantConnectorConfig tenant;
    XdrConnectorConfig xdr;
    friend bool operator==(const ConnectorsConfig&, const ConnectorsConfig&) = default;
};

struct XdrConfig {
    XdrMdcAlerts mdc_alerts = XdrMdcAlerts::All;
    friend bool operator==(const XdrConfig&, const XdrConfig&) = default;
};

struct RulesConfig {
    bool incident_creation = true;  // Microsoft incident creation rule for the MDC product
    bool automation_close = false;  // automation rule that closes every new incident
    bool time_window = false;       // custom scheduled rule: StartTime > ago(1h) and StartTime < now()
    friend bool operator==(const RulesConfig&, const RulesConfig&) = default;
};

struct ScopeConfig {
    int subscriptions = 1;       // all subscriptions, the late ones included
    int late_subscriptions = 0;  // of these, how many are created after the connectors are set up
    int alerts = 1;
    friend bool operator==(const ScopeConfig&, const ScopeConfig&) = default;
};

struct AnalystsConfig {
    bool close_in_mdc = true;
    bool close_in_sentinel = true;
    bool close_in_xdr = true;
    bool reopen_in_mdc = false;  // an analyst may reopen a closed MDC alert (once per alert)
    friend bool operator==(const AnalystsConfig&, const AnalystsConfig&) = default;
};

struct FaultsConfig {
    bool tenant_duplicates = false;          // the tenant connector may deliver an alert once more (B15)
    bool xdr_incident_before_alert = false;  // the XDR incident may reach Sentinel before the row (B14)
    bool xdr_correlation = false;            // XDR may merge incidents already in Sentinel (B13)
    bool start_time_skew = false;            // future StartTime in MDC, non-UTC StartTime from the sub connector (B17)
    friend bool operator==(const FaultsConfig&, const FaultsConfig&) = default;
};

struct Config {
    ConnectorsConfig connectors;
    XdrConfig xdr;
    RulesConfig rules;
    ScopeConfig scope;
    AnalystsConfig analysts;
    Timing timing = Timing::AnyOrder;
    FaultsConfig faults;
    friend bool operator==(const Config&, const Config&) = default;
};

// The report's recommended set-up: XDR connector + tenant-based connector, XDR on "All alerts",
// no incident creation rule. `alertflow check` without a file checks this one.
inline Config recommended_config() {
    Config c;
    c.connectors.subscription.enabled = false;
    c.connectors.tenant.enabled = true;
    c.connectors.xdr.enabled = true;
    c.rules.incident_creation = false;
    return c;
}

}  // namespace alertflow::model

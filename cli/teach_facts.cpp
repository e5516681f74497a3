// What a configuration is, in words, and which facts of a state break a property.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/teach.hpp"
#include "traces/narrate.hpp"

namespace alertflow::cli {

namespace {

using model::AlertSlot;
using model::Incident;
using model::State;
using model::mdc_alert::is_closed;
using model::mdc_alert::Status;
using traces::alert_name;
using traces::incident_name;

std::string writer_phrase(model::Writer w) {
    return component_name(w == model::Writer::SubscriptionConnector ? "subscription connector" : "tenant connector");
}

}  // namespace

// ================================================================ the set-up

std::string setup_sentences(const model::Config& c) {
    const auto on_off = [](bool on) { return on ? "on" : "off"; };
    std::vector<std::string> parts;
    const auto& sub = c.connectors.subscription;
    if (sub.enabled) {
        const int existing = c.scope.subscriptions - c.scope.late_subscriptions;
        std::vector<std::string> covered;
        for (int i = sub.uncovered_subscriptions; i < existing; ++i) covered.push_back(traces::subscription_name(i));
        parts.push_back(fmt::format("the subscription-based connector is on for {} (bi-directional sync {}{}{})",
                                    covered.empty() ? "no subscription" : fmt::format("{}", fmt::join(covered, ", ")),
                                    on_off(sub.bidirectional_sync),
                                    sub.sync_scope == model::SyncScope::OwnRows ? ", syncing only incidents made from its own rows" : "",
                                    sub.new_subscription_policy ? ", new-subscription policy on" : ""));
    } else {
        parts.emplace_back("the subscription-based connector is off");
    }
    parts.push_back(fmt::format("the tenant-based connector is {}", on_off(c.connectors.tenant.enabled)));
    parts.emplace_back(c.xdr.mdc_alerts == model::XdrMdcAlerts::All ? "Defender XDR takes in MDC alerts (All alerts)"
                                                                     : "Defender XDR takes in no MDC alert (No alerts)");
    parts.push_back(fmt::format("the XDR connector is {}", on_off(c.connectors.xdr.enabled)));
    parts.push_back(fmt::format("the incident creation rule is {}", on_off(c.rules.incident_creation)));
    if (c.rules.automation_close) parts.emplace_back("an automation rule closes every new incident");
    if (c.rules.time_window) parts.emplace_back("a custom time-window rule is deployed");
    std::string text = fmt::format("The set-up: {}.", fmt::join(parts, "; "));

    std::string scope = fmt::format(" Scope: {} alert{}, {} subscription{}", c.scope.alerts, c.scope.alerts == 1 ? "" : "s",
                                    c.scope.subscriptions, c.scope.subscriptions == 1 ? "" : "s");
    if (c.scope.late_subscriptions > 0) {
        std::vector<std::string> late;
        for (int i = c.scope.subscriptions - c.scope.late_subscriptions; i < c.scope.subscriptions; ++i)
            late.push_back(traces::subscription_name(i));
        scope += fmt::format(" ({} created later)", fmt::join(late, ", "));
    }
    text += scope + ".";
    std::vector<std::string_view> may;
    if (c.analysts.close_in_mdc) may.push_back("close alerts in Defender for Cloud");
    if (c.analysts.close_in_sentinel) may.push_back("close incidents in Sentinel");
    if (c.analysts.close_in_xdr) may.push_back("close incidents in Defender XDR");
    if (c.analysts.reopen_in_mdc) may.push_back("reopen an alert once");
    text += may.empty() ? " Analysts do nothing." : fmt::format(" Analysts may {}.", fmt::join(may, ", "));
    if (c.timing == model::Timing::SubscriptionBeforeTenant)
        text += " The tenant-based connector is the slowest path: it delivers after the subscription-based connector and the rules.";
    std::vector<std::string_view> faults;
    if (c.faults.tenant_duplicates) faults.push_back("the tenant-based connector may deliver an alert once more");
    if (c.faults.xdr_incident_before_alert) faults.push_back("the XDR incident may reach Sentinel before the alert's row");
    if (c.faults.xdr_correlation) faults.push_back("Defender XDR may correlate incidents already in Sentinel");
    if (c.faults.start_time_skew) faults.push_back("StartTime may be in the future or not UTC");
    if (!faults.empty()) text += fmt::format(" Faults that may happen: {}.", fmt::join(faults, "; "));
    return text;
}

// ================================================================ what breaks a property

std::vector<std::string> breaking_facts(const model::Config& config, const properties::Property& property, const State& s) {
    std::vector<std::string> facts;
    if (property.holds(s)) return facts;
    const std::string_view id = property.id;
    const auto holding = [&](int a, bool open_only) {
        std::vector<const Incident*> held;
        for (int i = 0; i < s.incident_count; ++i) {
            const Incident& inc = s.incidents[i];
            if (inc.holds(a) && !inc.redirected() && (!open_only || inc.open())) held.push_back(&inc);
        }
        return held;
    };
    const auto list = [](const std::vector<const Incident*>& held) {
        std::vector<std::string> names;
        for (const Incident* inc : held)
            names.push_back(fmt::format("the {} {}", traces::incident_status_name(inc->status), incident_name(*inc).substr(4)));
        return and_list(names);
    };
    const auto all_closed = [&](const Incident& inc) {
        for (int a = 0; a < model::kMaxAlerts; ++a)
            if (inc.holds(a) && !is_closed(s.alerts[a].mdc)) return false;
        return true;
    };
    const auto closed_alerts = [&](const Incident& inc) {
        std::vector<std::string> names;
        for (int a = 0; a < model::kMaxAlerts; ++a)
            if (inc.holds(a)) names.push_back(fmt::format("alert {} is {}", alert_name(a), traces::mdc_status_name(s.alerts[a].mdc)));
        return and_list(names);
    };
    for (int a = 0; a < model::kMaxAlerts; ++a) {
        const AlertSlot& slot = s.alerts[a];
        if (!slot.raised()) continue;
        const std::string name = alert_name(a);
        if (id == "exactly-one-incident" || id == "no-lost-alert") {
            const auto held = holding(a, false);
            if (held.empty())
                facts.push_back(fmt::format("alert {} is held by no Sentinel incident ({})", name,
                                            slot.row_count == 0 ? std::string("it has no SecurityAlert row either")
                                                                : fmt::format("it has {} SecurityAlert row{}, but nothing made an incident from it",
                                                                              slot.row_count, slot.row_count == 1 ? "" : "s")));
            else if (held.size() > 1 && id == "exactly-one-incident")
                facts.push_back(fmt::format("alert {} is held by {} incidents that are not Redirected: {}", name, held.size(), list(held)));
        } else if (id == "no-duplicate-incident") {
            const auto held = holding(a, true);
            if (held.size() > 1) facts.push_back(fmt::format("alert {} is held by {} open incidents at this moment: {}", name, held.size(), list(held)));
        } else if (id == "status-converges") {
            if (slot.row_count > 0 && slot.row(slot.row_count - 1).status != slot.mdc) {
                const auto row = slot.row(slot.row_count - 1);
                facts.push_back(fmt::format("the newest SecurityAlert row of alert {} (by {}) says {}, but the alert is {} in Defender for Cloud",
                                            name, writer_phrase(row.writer), traces::row_status_name(row.status), traces::mdc_status_name(slot.mdc)));
            }
        } else if (id == "no-duplicate-rows") {
            for (Status st : {Status::Active, Status::Resolved, Status::Dismissed}) {
                std::vector<std::string> by;
                for (int r = 0; r < slot.row_count; ++r)
                    if (slot.row(r).status == st) by.push_back(fmt::format("row {} by {}", r + 1, writer_phrase(slot.row(r).writer)));
                if (static_cast<int>(by.size()) > slot.times_entered(st))
                    facts.push_back(fmt::format("alert {} has {} SecurityAlert rows saying {} ({}), but the alert entered that status "
                                                "({} in Defender for Cloud) only {}", name, by.size(), traces::row_status_name(st),
                                                and_list(by), traces::mdc_status_name(st),
                                                slot.times_entered(st) == 1 ? "once" : fmt::format("{} times", slot.times_entered(st))));
            }
        } else if (id == "all-subscriptions-covered") {
            if (slot.row_count == 0) {
                const bool covered = s.coverage[slot.subscription] == model::subscription_connector::Coverage::Covered;
                std::vector<std::string> why;
                if (config.connectors.subscription.enabled && !covered)
                    why.emplace_back("the subscription-based connector does not cover that subscription");
                if (config.connectors.tenant.enabled && config.xdr.mdc_alerts == model::XdrMdcAlerts::None)
                    why.emplace_back("the tenant-based connector reads alerts from Defender XDR, whose MDC setting is No alerts");
                if (!config.connectors.subscription.enabled && !config.connectors.tenant.enabled)
                    why.emplace_back("no MDC connector is on");
                facts.push_back(fmt::format("alert {}, raised in subscription {}, has no SecurityAlert row{}", name,
                                            traces::subscription_name(slot.subscription),
                                            why.empty() ? "" : fmt::format(" ({})", fmt::join(why, "; "))));
            }
        } else if (id == "time-window-rule-sees-alert") {
            bool seen = slot.row_count == 0;
            for (int r = 0; r < slot.row_count; ++r) seen = seen || slot.row(r).start_time_ok;
            if (!seen)
                facts.push_back(fmt::format("every SecurityAlert row of alert {} ({}) has a StartTime outside the one-hour window{}", name,
                                        fmt::format("{} row{}", slot.row_count, slot.row_count == 1 ? "" : "s"), slot.future_start_time ? " (MDC gave it a StartTime in the future)"
                                                                               : " (the subscription-based connector wrote it not in UTC)"));
        }
    }
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        if (id == "incident-has-alert" || id == "incident-never-empty") {
            for (int a = 0; a < model::kMaxAlerts; ++a)
                if (inc.holds(a) && s.alerts[a].row_count == 0)
                    facts.push_back(fmt::format("{} holds alert {}, but alert {} has no SecurityAlert row: the incident is empty "
                                                "(no entities, no details)", capitalised(incident_name(inc)), alert_name(a), alert_name(a)));
        } else if (id == "sentinel-close-reaches-mdc") {
            if (inc.status == model::sentinel_incident::Status::Closed && !all_closed(inc))
                facts.push_back(fmt::format("{} is Closed, but in Defender for Cloud, {}", capitalised(incident_name(inc)), closed_alerts(inc)));
        } else if (id == "mdc-close-reaches-sentinel") {
            if (inc.open() && all_closed(inc))
                facts.push_back(fmt::format("in Defender for Cloud, {}, but {} is still New", closed_alerts(inc), incident_name(inc)));
        } else if (id == "status-converges") {
            if (!inc.redirected() && inc.open() == all_closed(inc))
                facts.push_back(fmt::format("{} is {}, but in Defender for Cloud, {}", capitalised(incident_name(inc)),
                                            traces::incident_status_name(inc.status), closed_alerts(inc)));
        }
    }
    if (facts.empty()) {  // a property this file does not know: show the whole state
        facts.emplace_back("its condition is false in this state");
        for (const std::string& line : traces::describe_state(config, s)) facts.push_back(line);
    }
    for (std::string& f : facts) f = capitalised(f) + ".";
    return facts;
}

}  // namespace alertflow::cli

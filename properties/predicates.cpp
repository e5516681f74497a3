#include "properties/predicates.hpp"

namespace alertflow::properties::predicates {

namespace {

using model::AlertSlot;
using model::Incident;
using model::kMaxAlerts;
using model::mdc_alert::is_closed;
using model::mdc_alert::Status;

// Incidents that stand for the alert: Redirected ones were replaced by their merged incident.
int incidents_holding(const model::State& s, int alert, bool open_only) {
    int n = 0;
    for (int i = 0; i < s.incident_count; ++i) {
        const Incident& inc = s.incidents[i];
        n += inc.holds(alert) && !inc.redirected() && (!open_only || inc.open());
    }
    return n;
}

bool all_alerts_closed(const model::State& s, const Incident& inc) {
    for (int a = 0; a < kMaxAlerts; ++a)
        if (inc.holds(a) && !is_closed(s.alerts[a].mdc)) return false;
    return true;
}

bool has_row(const AlertSlot& slot) { return slot.row_count > 0; }

template <class Pred>
bool every_raised_alert(const model::State& s, Pred pred) {
    for (int a = 0; a < kMaxAlerts; ++a)
        if (s.alerts[a].raised() && !pred(s.alerts[a], a)) return false;
    return true;
}

template <class Pred>
bool every_incident(const model::State& s, Pred pred) {
    for (int i = 0; i < s.incident_count; ++i)
        if (!pred(s.incidents[i])) return false;
    return true;
}

// An incident agrees with MDC when it is closed exactly when all its alerts are.
bool incident_agrees_with_mdc(const model::State& s, const Incident& inc) {
    return inc.redirected() || inc.open() != all_alerts_closed(s, inc);
}

}  // namespace

bool exactly_one_incident(const model::State& s) {
    return every_raised_alert(s, [&](const AlertSlot&, int a) { return incidents_holding(s, a, false) == 1; });
}

bool no_lost_alert(const model::State& s) {
    return every_raised_alert(s, [&](const AlertSlot&, int a) { return incidents_holding(s, a, false) >= 1; });
}

bool no_duplicate_incident(const model::State& s) {
    return every_raised_alert(s, [&](const AlertSlot&, int a) { return incidents_holding(s, a, true) <= 1; });
}

bool incident_has_alert(const model::State& s) {
    return every_incident(s, [&](const Incident& inc) {
        for (int a = 0; a < kMaxAlerts; ++a)
            if (inc.holds(a) && !has_row(s.alerts[a])) return false;
        return true;
    });
}

bool sentinel_close_reaches_mdc(const model::State& s) {
    return every_incident(s, [&](const Incident& inc) {
        return inc.status != model::sentinel_incident::Status::Closed || all_alerts_closed(s, inc);
    });
}

bool mdc_close_reaches_sentinel(const model::State& s) {
    return every_incident(s, [&](const Incident& inc) { return !inc.open() || !all_alerts_closed(s, inc); });
}

bool status_converges(const model::State& s) {
    const bool rows_agree = every_raised_alert(s, [](const AlertSlot& slot, int) {
        return !has_row(slot) || slot.row(slot.row_count - 1).status == slot.mdc;
    });
    return rows_agree && every_incident(s, [&](const Incident& inc) { return incident_agrees_with_mdc(s, inc); });
}

// Each (alert, status) pair may appear as often as the alert entered that status, over both
// connectors together.
bool no_duplicate_rows(const model::State& s) {
    return every_raised_alert(s, [](const AlertSlot& slot, int) {
        for (Status st : {Status::Active, Status::Resolved, Status::Dismissed}) {
            int rows = 0;
            for (int r = 0; r < slot.row_count; ++r) rows += slot.row(r).status == st;
            if (rows > slot.times_entered(st)) return false;
        }
        return true;
    });
}

bool every_alert_has_a_row(const model::State& s) {
    return every_raised_alert(s, [](const AlertSlot& slot, int) { return has_row(slot); });
}

bool time_window_rule_sees_alert(const model::State& s) {
    return every_raised_alert(s, [](const AlertSlot& slot, int) {
        if (!has_row(slot)) return true;
        for (int r = 0; r < slot.row_count; ++r)
            if (slot.row(r).start_time_ok) return true;
        return false;
    });
}

}  // namespace alertflow::properties::predicates

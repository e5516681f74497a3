#include "traces/changes.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "traces/narrate.hpp"

namespace alertflow::traces {

namespace {

using nlohmann::json;

// Incidents have no id in state_json; they are named by provider and alerts, and the time-window
// rule's incident (also "Azure Sentinel") by its maker too, so the name is unique in a state.
std::string incident_label_of(const std::string& provider, const std::string& made_by, const std::string& alerts) {
    std::string label = fmt::format("{} incident for {}", provider, alerts);
    if (made_by == "time-window rule") label += " (time-window rule)";
    return label;
}

std::string incident_label_json(const json& incident) {
    std::string alerts;
    for (const auto& a : incident.at("alerts")) alerts.append(alerts.empty() ? "" : "+").append(a.get<std::string>());
    return incident_label_of(incident.at("provider").get<std::string>(), incident.at("made_by").get<std::string>(), alerts);
}

bool is_scalar_list(const json& array) {
    return std::all_of(array.begin(), array.end(), [](const json& e) { return e.is_primitive(); });
}

bool is_identified_list(const json& array) {
    return !array.empty() && std::all_of(array.begin(), array.end(), [](const json& e) {
        return e.is_object() && e.contains("id") && e.at("id").is_string();
    });
}

std::string render(const json& value);

// Lists of plain values read as one value: "Active, Resolved", "A1+A2" for an incident's alerts.
std::string join(const json& array, std::string_view separator) {
    std::string out;
    for (const auto& e : array) out += (out.empty() ? "" : std::string(separator)) + render(e);
    return out;
}

// The keyed form: identified lists become objects by id, the incident list an object by label,
// non-empty lists of plain values one string; other lists (SecurityAlert rows, empty lists) stay
// lists, so that a row appended to an empty list is an "add" like any other.
json normalise(const json& value, std::string_view key = {}) {
    if (value.is_object()) {
        json out = json::object();
        for (const auto& [k, v] : value.items()) out[k] = normalise(v, k);
        return out;
    }
    if (!value.is_array()) return value;
    if (key == "incidents") {
        json out = json::object();
        for (const auto& incident : value) out[incident_label_json(incident)] = normalise(incident);
        return out;
    }
    if (is_identified_list(value)) {
        json out = json::object();
        for (const auto& e : value) {
            json member = normalise(e);
            member.erase("id");
            out[e.at("id").get<std::string>()] = member;
        }
        return out;
    }
    if (!value.empty() && is_scalar_list(value)) return join(value, key == "alerts" ? "+" : ", ");
    json out = json::array();
    for (const auto& e : value) out.push_back(normalise(e));
    return out;
}

// An object's fields, the telling ones first: "status: New; writer: subscription connector; ...".
std::string render_object(const json& object) {
    static constexpr std::array<std::string_view, 7> kFirst{"status", "mdc_status", "provider", "made_by",
                                                            "alerts", "writer",     "link"};
    std::vector<std::string> keys;
    for (const auto k : kFirst)
        if (object.contains(k)) keys.emplace_back(k);
    for (const auto& [k, v] : object.items())
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    std::string out;
    for (const auto& k : keys) {
        const std::string v = render(object.at(k));
        if (v.empty()) continue;
        out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", k, v);
    }
    return out;
}

std::string render(const json& value) {
    if (value.is_null()) return "";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_object()) return render_object(value);
    if (value.is_array()) return join(value, ", ");
    return value.dump();
}

// JSON pointer escapes: "~1" is '/', "~0" is '~' (one pass, so "~01" stays "~1").
std::string unescape_token(const std::string& token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) out.push_back(token[++i] == '1' ? '/' : '~');
        else out.push_back(token[i]);
    }
    return out;
}

std::vector<std::string> tokens_of(const std::string& pointer) {
    std::vector<std::string> tokens;
    std::size_t i = 1;
    while (i <= pointer.size() && !pointer.empty()) {
        const std::size_t end = std::min(pointer.find('/', i), pointer.size());
        tokens.push_back(unescape_token(pointer.substr(i, end - i)));
        i = end + 1;
    }
    return tokens;
}

bool plain_key(const std::string& key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

const json* child(const json* node, const std::string& token) {
    if (!node) return nullptr;
    if (node->is_object()) return node->contains(token) ? &node->at(token) : nullptr;
    if (node->is_array() && token != "-") {
        const std::size_t i = std::stoul(token);
        return i < node->size() ? &(*node)[i] : nullptr;
    }
    return nullptr;
}

// One patch operation as a FieldChange. Array elements are numbered from 1 (rows are "row 1",
// "row 2"); an element appended to or removed from the end of a list is a change of the list.
FieldChange field_change(const json& op, const json& before, const json& after) {
    const std::string kind = op.at("op").get<std::string>();
    const auto tokens = tokens_of(op.at("path").get<std::string>());
    std::string path;
    const json* b = &before;
    const json* a = &after;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        const bool in_array = (b && b->is_array()) || (a && a->is_array());
        const bool last = i + 1 == tokens.size();
        if (in_array) {
            if (!(last && kind != "replace")) path += fmt::format("[{}]", t == "-" ? std::string("end") : std::to_string(std::stoul(t) + 1));
        } else if (plain_key(t)) {
            path += (path.empty() ? "" : ".") + t;
        } else {
            path.append("[").append(t).append("]");
        }
        b = child(b, t);
        a = child(a, t);
    }
    FieldChange change{path, "", ""};
    if (kind != "add" && b) change.before = render(*b);
    if (kind == "remove") return change;
    change.after = render(a ? *a : op.at("value"));
    return change;
}

}  // namespace

std::string incident_label(const model::Incident& incident) {
    std::string alerts;
    for (int a = 0; a < model::kMaxAlerts; ++a)
        if (incident.holds(a)) alerts.append(alerts.empty() ? "" : "+").append(traces::alert_name(a));
    const std::string made_by = incident.origin == model::IncidentOrigin::TimeWindowRule ? "time-window rule" : "";
    return incident_label_of(traces::provider_name(incident.origin), made_by, alerts);
}

std::vector<FieldChange> changed_fields(const model::Config& config, const model::State& before,
                                        const model::State& after) {
    const json b = normalise(traces::state_json(config, before));
    const json a = normalise(traces::state_json(config, after));
    std::vector<FieldChange> changes;
    for (const auto& op : json::diff(b, a)) changes.push_back(field_change(op, b, a));
    return changes;
}

std::string describe_change(const FieldChange& change) {
    if (change.before.empty() && !change.after.empty()) return fmt::format("{}: added {}", change.path, change.after);
    if (change.after.empty() && !change.before.empty()) return fmt::format("{}: removed {}", change.path, change.before);
    return fmt::format("{}: {} -> {}", change.path, change.before, change.after);
}

nlohmann::json changes_json(const std::vector<FieldChange>& changes) {
    json out = json::array();
    for (const auto& c : changes) out.push_back({{"path", c.path}, {"before", c.before}, {"after", c.after}});
    return out;
}

}  // namespace alertflow::traces

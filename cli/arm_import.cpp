#include "cli/arm_import.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "cli/config_yaml.hpp"
#include "cli/suggest.hpp"

namespace alertflow::cli {
namespace {

using model::Config;
using nlohmann::json;

// ---- Names the services use (microsoft-docs-facts.md sections 1 and 2)

// The tenant-based connector's id; its ARM kind is not publicly specified, so its name is the key.
constexpr std::string_view kTenantConnectorName = "MicrosoftDefenderForCloudTenantBased";
constexpr std::string_view kMdcProduct = "Azure Security Center";  // productFilter of the MDC rule
constexpr std::string_view kBuiltInMdcRule = "90586451-7ba8-4c1e-9904-7d1b7c3cc4d6";
constexpr std::string_view kSeverities[] = {"High", "Medium", "Low", "Informational"};

// ---- Text

// Azure compares type names, kinds and enumeration values case-insensitively.
bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

std::string_view last_segment(std::string_view path) { return path.substr(path.rfind('/') + 1); }  // npos + 1 == 0

// ARM evaluates a string "[...]" as an expression; "[[" escapes a literal "[".
bool is_expression(std::string_view s) { return s.size() >= 2 && s.front() == '[' && s.back() == ']' && s[1] != '['; }

// The string literals of an ARM expression: 'it''s' is one literal holding a quote.
std::vector<std::string> literals_of(std::string_view expression) {
    std::vector<std::string> literals;
    std::optional<std::string> open;
    for (std::size_t i = 0; i < expression.size(); ++i) {
        const char c = expression[i];
        if (!open) {
            if (c == '\'') open.emplace();
        } else if (c != '\'') {
            open->push_back(c);
        } else if (i + 1 < expression.size() && expression[i + 1] == '\'') {
            open->push_back(c);
            ++i;
        } else {
            literals.push_back(std::move(*open));
            open.reset();
        }
    }
    return literals;
}

// Whether a resource name's last segment is `id`: "id", "ws/Microsoft.SecurityInsights/id", or an
// expression that builds one, e.g. "[concat(parameters('ws'), '/Microsoft.SecurityInsights/id')]".
bool name_ends_in(std::string_view name, std::string_view id) {
    if (!is_expression(name)) return iequals(last_segment(name), id);
    const std::vector<std::string> literals = literals_of(name);
    return std::ranges::any_of(literals, [&](const std::string& l) { return iequals(last_segment(l), id); });
}

std::string json_kind(const json& value) {
    switch (value.type()) {
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::null: return "null";
        default: return "a number";
    }
}

// ---- Messages: "FILE: RESOURCE: KEY: message", leaving out what is not known or not meant.

[[noreturn]] void fail(std::string_view file, std::string_view resource, std::string_view key, std::string_view message) {
    std::string line = fmt::format("{}: ", file);
    if (!resource.empty()) line += fmt::format("{}: ", resource);
    if (!key.empty()) line += fmt::format("{}: ", key);
    throw ConfigError(line + std::string(message));
}

std::string unknown_value(std::string_view value, const std::vector<std::string_view>& expected) {
    std::string hint;
    if (is_expression(value))
        hint = "; ARM expressions are not evaluated";
    else if (const auto guess = closest(value, expected))
        hint = fmt::format("; did you mean '{}'?", *guess);
    return fmt::format("unknown value '{}' (expected {}{})", value, fmt::join(expected, " or "), hint);
}

// ---- One JSON object of a resource (the resource itself, or an item of one of its arrays), read
// with type checks whose messages name the key as written: "properties.actions[0].actionType".

class View {
public:
    View(std::string_view file, std::string label, const json& node, std::string prefix = "")
        : file_(file), label_(std::move(label)), node_(node), prefix_(std::move(prefix)) {}

    const std::string& label() const { return label_; }

    [[noreturn]] void fail(std::string_view key, std::string_view message) const {
        cli::fail(file_, label_, key.empty() ? std::string() : prefix_ + std::string(key), message);
    }

    // The value at the dotted `path`, or nullptr when it (or an object on the way) is missing or
    // null: the REST examples write `null` for a property that is not set.
    const json* find(std::string_view path) const {
        const json* at = &node_;
        for (std::size_t start = 0;;) {
            const std::size_t dot = path.find('.', start);
            const auto it = at->find(std::string(path.substr(start, dot - start)));
            if (it == at->end() || it->is_null()) return nullptr;
            if (dot == std::string_view::npos) return &*it;
            if (!it->is_object()) fail(path.substr(0, dot), "expected an object");
            at = &*it;
            start = dot + 1;
        }
    }

    std::optional<std::string> text(std::string_view path) const {
        const json* value = find(path);
        if (!value) return std::nullopt;
        if (!value->is_string()) fail(path, "expected a string");
        return value->get<std::string>();
    }

    std::optional<bool> flag(std::string_view path) const {
        const json* value = find(path);
        if (!value) return std::nullopt;
        if (!value->is_boolean()) fail(path, "expected true or false");
        return value->get<bool>();
    }

    // `why` says why the key cannot be left out.
    std::string required_text(std::string_view path, std::string_view why) const {
        const std::optional<std::string> value = text(path);
        if (!value || value->empty()) fail(path, fmt::format("{} ({})", value ? "empty" : "missing", why));
        return *value;
    }

    bool required_flag(std::string_view path, std::string_view why) const {
        const std::optional<bool> value = flag(path);
        if (!value) fail(path, fmt::format("missing ({})", why));
        return *value;
    }

    // The items of the array at `path` (none when it is missing), each an object.
    std::vector<View> objects(std::string_view path) const {
        std::vector<View> items;
        const json* list = array(path);
        for (std::size_t i = 0; list && i < list->size(); ++i) {
            const std::string key = fmt::format("{}[{}]", path, i);
            if (!(*list)[i].is_object()) fail(key, "expected an object");
            items.emplace_back(file_, label_, (*list)[i], prefix_ + key + ".");
        }
        return items;
    }

    // The array of strings at `path` (empty when it is missing).
    std::vector<std::string> texts(std::string_view path) const {
        std::vector<std::string> items;
        const json* list = array(path);
        for (std::size_t i = 0; list && i < list->size(); ++i) {
            if (!(*list)[i].is_string()) fail(fmt::format("{}[{}]", path, i), "expected a string");
            items.push_back((*list)[i].get<std::string>());
        }
        return items;
    }

private:
    const json* array(std::string_view path) const {
        const json* value = find(path);
        if (value && !value->is_array()) fail(path, "expected an array");
        return value;
    }

    std::string_view file_;
    std::string label_;  // "resource 'TYPE' 'NAME'"
    const json& node_;
    std::string prefix_;  // the key path of node_ inside the resource, "" for the resource itself
};

// ---- What the recognised resources say, collected over the whole file before deciding anything.

struct SubscriptionConnector {
    std::string subscription;  // as written: a GUID or an ARM expression, kept as opaque text
    std::string label;
    bool enabled;
};

struct Single {  // a connector a workspace has at most one of
    std::optional<std::string> label;
    bool enabled = false;
};

struct Tally {  // rules: any number, counted
    int total = 0;
    int enabled = 0;
};

struct Findings {
    std::vector<SubscriptionConnector> subscriptions;  // one per subscription, in file order
    Single tenant;
    Single xdr;
    Tally mdc_rules;
    Tally closing_automation;
    std::vector<std::string> recognised, ignored, notes;
};

struct Outcome {
    bool recognised;
    std::string what;  // what the resource was read as, or why it was ignored
};

std::string_view state_word(bool enabled) { return enabled ? "Enabled" : "Disabled"; }

struct State {
    bool enabled;
    bool defaulted;  // the file left the state out
};

// A dataTypes.*.state; `when_missing` is what a missing state means (none: it is required).
State read_state(const View& r, std::string_view path, std::optional<bool> when_missing) {
    const std::optional<std::string> value = r.text(path);
    if (!value) {
        if (!when_missing) r.fail(path, "missing (expected Enabled or Disabled)");
        return {*when_missing, true};
    }
    for (const bool enabled : {true, false})
        if (iequals(*value, state_word(enabled))) return {enabled, false};
    r.fail(path, unknown_value(*value, {state_word(true), state_word(false)}));
}

std::string state_text(const State& state) {
    return fmt::format("{}{}", state_word(state.enabled), state.defaulted ? " (no state given: taken as Enabled)" : "");
}

// A second tenant-based or XDR connector contradicts the first: neither can be said to win.
void claim_single(Single& slot, const View& r, bool enabled, std::string_view what) {
    if (slot.label) r.fail("", fmt::format("a second {} (the first is {}): a workspace has one", what, *slot.label));
    slot = {r.label(), enabled};
}

// ---- The readers, one per kind of resource the model knows.

Outcome read_tenant_connector(const View& r, Findings& f) {
    const State state = read_state(r, "properties.dataTypes.alerts.state", true);
    claim_single(f.tenant, r, state.enabled, "tenant-based MDC connector");
    const std::optional<std::string> kind = r.text("kind");
    f.notes.push_back(fmt::format("{}: the tenant-based connector's ARM kind is not publicly specified; recognised by its "
                                  "name {}, whatever its kind (here: {})",
                                  r.label(), kTenantConnectorName, kind ? "'" + *kind + "'" : "none"));
    return {true, "tenant-based MDC connector, alerts " + state_text(state)};
}

Outcome read_subscription_connector(const View& r, Findings& f) {
    const std::string id = r.required_text("properties.subscriptionId", "an AzureSecurityCenter connector is for one subscription");
    const State state = read_state(r, "properties.dataTypes.alerts.state", true);
    const auto same = std::ranges::find_if(f.subscriptions, [&](const auto& s) { return iequals(s.subscription, id); });
    if (same != f.subscriptions.end())
        r.fail("properties.subscriptionId",
               fmt::format("subscription '{}' already has an AzureSecurityCenter connector ({})", id, same->label));
    f.subscriptions.push_back({id, r.label(), state.enabled});
    if (is_expression(id))
        f.notes.push_back(fmt::format("{}: subscriptionId {} is an ARM expression, not evaluated: read as one subscription, "
                                      "the same as an identical text and distinct from any other",
                                      r.label(), id));
    return {true, fmt::format("subscription-based MDC connector for subscription '{}', alerts {}", id, state_text(state))};
}

Outcome read_xdr_connector(const View& r, Findings& f) {
    const State state = read_state(r, "properties.dataTypes.incidents.state", std::nullopt);
    claim_single(f.xdr, r, state.enabled, "Defender XDR connector");
    return {true, "Defender XDR connector, incidents " + state_text(state)};
}

// Filters narrow the rule in reality; the model's rule takes every MDC alert.
void note_rule_filters(const View& r, Findings& f) {
    const std::vector<std::string> severities = r.texts("properties.severitiesFilter");
    std::vector<std::string_view> left_out;
    for (const std::string_view s : kSeverities)
        if (std::ranges::none_of(severities, [&](const std::string& given) { return iequals(given, s); })) left_out.push_back(s);
    if (!severities.empty() && !left_out.empty())
        f.notes.push_back(fmt::format("{}: severity filters are not modelled: this rule makes incidents only for {} alerts; "
                                      "an alert outside the filter ({}) would make no incident",
                                      r.label(), fmt::join(severities, ", "), fmt::join(left_out, ", ")));
    for (const std::string_view key : {"properties.displayNamesFilter", "properties.displayNamesExcludeFilter"})
        if (!r.texts(key).empty())
            f.notes.push_back(fmt::format("{}: {} is not modelled: the model's rule takes every MDC alert, whatever its name",
                                          r.label(), key));
}

Outcome read_incident_creation_rule(const View& r, Findings& f) {
    const std::string product = r.required_text("properties.productFilter", "a Microsoft incident creation rule names its product");
    const bool enabled = r.required_flag("properties.enabled", "a Microsoft incident creation rule is enabled or not");
    if (!iequals(product, kMdcProduct))
        return {false, fmt::format("Microsoft incident creation rule for '{}', not for Defender for Cloud ('{}'): "
                                   "only the MDC rule is modelled", product, kMdcProduct)};
    note_rule_filters(r, f);
    ++f.mdc_rules.total;
    f.mdc_rules.enabled += enabled;
    const bool built_in = iequals(r.text("properties.alertRuleTemplateName").value_or(""), kBuiltInMdcRule);
    return {true, fmt::format("Microsoft incident creation rule for Defender for Cloud{}, {}",
                              built_in ? " (the built-in template)" : "", enabled ? "enabled" : "disabled")};
}

// Every action is read, not just up to the first that closes: a wrongly typed one is an error anywhere.
bool closes_incident(const View& action) {
    const std::string type = action.required_text("actionType", "every action has one");
    const std::optional<std::string> status = action.text("actionConfiguration.status");
    return iequals(type, "ModifyProperties") && status && iequals(*status, "Closed");
}

std::string describe_condition(const View& condition) {
    const std::optional<std::string> property = condition.text("conditionProperties.propertyName");
    const std::optional<std::string> op = condition.text("conditionProperties.operator");
    if (!property || !op) return condition.text("conditionType").value_or("a condition");
    const std::vector<std::string> values = condition.texts("conditionProperties.propertyValues");
    return fmt::format("{} {} {}", *property, *op, fmt::join(values, ", "));
}

// Conditions and an expiry narrow the rule in reality; the model's rule closes every new incident.
void note_automation_limits(const View& r, Findings& f) {
    std::vector<std::string> conditions;
    for (const View& c : r.objects("properties.triggeringLogic.conditions")) conditions.push_back(describe_condition(c));
    if (!conditions.empty())
        f.notes.push_back(fmt::format("{}: conditions are not modelled ({}): in reality they narrow which incidents it closes; "
                                      "the model takes it to close every new incident",
                                      r.label(), fmt::join(conditions, "; ")));
    if (const std::optional<std::string> expiry = r.text("properties.triggeringLogic.expirationTimeUtc"))
        f.notes.push_back(fmt::format("{}: it expires at {}; the model takes it to run for ever", r.label(), *expiry));
}

Outcome read_automation_rule(const View& r, Findings& f) {
    const bool enabled = r.required_flag("properties.triggeringLogic.isEnabled", "an automation rule is enabled or not");
    const std::string on = r.required_text("properties.triggeringLogic.triggersOn", "Alerts or Incidents");
    const std::string when = r.required_text("properties.triggeringLogic.triggersWhen", "Created or Updated");
    const std::vector<View> actions = r.objects("properties.actions");
    const bool closes = std::ranges::count_if(actions, closes_incident) > 0;
    if (!iequals(on, "Incidents") || !iequals(when, "Created"))
        return {false, fmt::format("automation rule triggered on {} {}: only a rule that closes incidents when they are "
                                   "created is modelled", on, when)};
    if (!closes)
        return {false, "automation rule on incident creation that does not close the incident (no ModifyProperties "
                       "action with status Closed): not modelled"};
    note_automation_limits(r, f);
    ++f.closing_automation.total;
    f.closing_automation.enabled += enabled;
    return {true, fmt::format("automation rule that closes every new incident, {}", enabled ? "enabled" : "disabled")};
}

// ---- The one table of recognisers. The first match wins: the tenant-based connector comes first,
// as it is known by its name whatever its kind.

struct Recogniser {
    std::string_view type;  // the last segment of the resource type
    std::string_view kind;  // "": any kind
    std::string_view name;  // the last segment of the resource name; "": any name
    Outcome (*read)(const View&, Findings&);
};

constexpr Recogniser kRecognisers[] = {
    {"dataConnectors", "", kTenantConnectorName, read_tenant_connector},
    {"dataConnectors", "AzureSecurityCenter", "", read_subscription_connector},
    {"dataConnectors", "MicrosoftThreatProtection", "", read_xdr_connector},
    {"alertRules", "MicrosoftSecurityIncidentCreation", "", read_incident_creation_rule},
    {"automationRules", "", "", read_automation_rule},
};

bool is_known_type(std::string_view type) {
    return std::ranges::any_of(kRecognisers, [&](const Recogniser& rec) { return iequals(rec.type, type); });
}

const Recogniser* find_recogniser(const View& r, std::string_view type, std::string_view name) {
    for (const Recogniser& rec : kRecognisers) {
        if (!iequals(rec.type, type) || (!rec.name.empty() && !name_ends_in(name, rec.name))) continue;
        if (rec.kind.empty() || iequals(r.required_text("kind", "the kind says what the resource is"), rec.kind)) return &rec;
    }
    return nullptr;
}

// Why a resource the table does not take plays no part, in the table's terms.
std::string not_modelled(const View& r, std::string_view type) {
    std::vector<std::string> forms;
    for (const Recogniser& rec : kRecognisers) {
        if (is_known_type(type)) {
            if (!iequals(rec.type, type)) continue;
            forms.push_back(rec.kind.empty() ? fmt::format("the one named {}", rec.name) : fmt::format("kind {}", rec.kind));
        } else if (std::ranges::find(forms, rec.type) == forms.end()) {
            forms.emplace_back(rec.type);
        }
    }
    if (!is_known_type(type))
        return fmt::format("not a resource the model reads (it reads only {})", fmt::join(forms, ", "));
    return fmt::format("kind '{}' is not modelled (of {} the model reads {})", r.text("kind").value_or(""), type,
                       fmt::join(forms, ", "));
}

// ---- Walking the resources

// ARM's `condition`: false means the resource is not deployed; an expression is not evaluated.
bool deployed(const View& r) {
    const json* condition = r.find("condition");
    if (!condition || (condition->is_boolean() && condition->get<bool>())) return true;
    if (condition->is_boolean()) return false;
    if (condition->is_string() && is_expression(condition->get<std::string>())) return true;
    r.fail("condition", "expected true, false or an ARM expression");
}

void note_deployment_limits(const View& r, Findings& f) {
    if (const json* condition = r.find("condition"); condition && condition->is_string())
        f.notes.push_back(fmt::format("{}: deployed only if {}, which is not evaluated: read as deployed", r.label(),
                                      condition->get<std::string>()));
    if (r.find("copy"))
        f.notes.push_back(fmt::format("{}: its copy loop is not evaluated: read as one resource", r.label()));
}

std::string deployment_reason(const View& r) {
    if (r.find("properties.template")) return "nested deployment: the resources of its template are read in their own right";
    return "deployment of a linked template: its resources are not in this file and were not read";
}

Outcome classify(const View& r, std::string_view type, std::string_view name, Findings& f) {
    if (r.flag("existing").value_or(false)) return {false, "an existing resource: referenced, not deployed"};
    if (!deployed(r)) return {false, "its condition is false: not deployed"};
    if (iequals(type, "deployments")) return {false, deployment_reason(r)};
    if (const Recogniser* rec = find_recogniser(r, type, name)) return rec->read(r, f);
    return {false, not_modelled(r, type)};
}

std::string label_of(const json& node, const std::string& path) {
    const auto text_at = [&](const char* key) {
        const auto it = node.find(key);
        return it != node.end() && it->is_string() ? std::optional(it->get<std::string>()) : std::nullopt;
    };
    const std::optional<std::string> type = text_at("type");
    const std::optional<std::string> name = text_at("name");
    std::string label = "resource";
    if (type) label += fmt::format(" '{}'", *type);
    if (name) label += fmt::format(" '{}'", *name);
    if (!type || !name) label += " at " + path;  // without both, only its place tells it apart
    return label;
}

void read_resources(const json& list, const std::string& path, std::string_view file, Findings& f);

void read_resource(const json& node, const std::string& path, std::string_view file, Findings& f) {
    if (!node.is_object()) fail(file, "resource at " + path, "", "expected a resource object, got " + json_kind(node));
    const View r(file, label_of(node, path), node);
    const std::optional<std::string> type = r.text("type");
    if (!type) r.fail("type", "missing (every resource has one)");
    const std::string name = r.text("name").value_or("");
    const Outcome outcome = classify(r, last_segment(*type), name, f);
    (outcome.recognised ? f.recognised : f.ignored).push_back(fmt::format("{}: {}", r.label(), outcome.what));
    if (outcome.recognised) note_deployment_limits(r, f);
    // Child resources and the template of a nested deployment are resources of the workspace too.
    if (const json* children = r.find("resources")) read_resources(*children, path + ".resources", file, f);
    if (const json* inner = r.find("properties.template.resources"); inner && iequals(last_segment(*type), "deployments"))
        read_resources(*inner, path + ".properties.template.resources", file, f);
}

// An array, or the object of symbolic names of an ARM template with languageVersion 2.0.
void read_resources(const json& list, const std::string& path, std::string_view file, Findings& f) {
    const auto at = [&](const std::string& key) { return path.empty() ? key : path + key; };
    if (list.is_array())
        for (std::size_t i = 0; i < list.size(); ++i) read_resource(list[i], at(fmt::format("[{}]", i)), file, f);
    else if (list.is_object())
        for (const auto& [symbol, node] : list.items()) read_resource(node, at("." + symbol), file, f);
    else
        fail(file, "", path, "expected an array of resources, got " + json_kind(list));
}

// The three shapes a file may have: an ARM template, a REST list export, or a bare array.
void read_document(const json& doc, std::string_view file, Findings& f) {
    if (doc.is_array()) {
        f.notes.push_back(fmt::format("{}: read as an array of resources", file));
        return read_resources(doc, "", file, f);
    }
    if (doc.is_object() && doc.contains("resources")) {
        f.notes.push_back(fmt::format("{}: read as an ARM template", file));
        return read_resources(doc["resources"], "resources", file, f);
    }
    if (doc.is_object() && doc.contains("value")) {
        // A later page could hold a connector or rule that changes the verdict: half a list is no reading.
        if (const auto next = doc.find("nextLink"); next != doc.end() && !next->is_null())
            fail(file, "", "nextLink", "the list continues on another page: merge every page's value into one file");
        f.notes.push_back(fmt::format("{}: read as a REST list export", file));
        return read_resources(doc["value"], "value", file, f);
    }
    const bool one_resource = doc.is_object() && doc.contains("type");
    fail(file, "", "",
         fmt::format("expected an ARM template (\"resources\": [...]), a REST list export (\"value\": [...]) or an array "
                     "of resources, got {}{}",
                     doc.is_object() ? "an object with neither \"resources\" nor \"value\"" : json_kind(doc),
                     one_resource ? " (one resource? put it in [ ])" : ""));
}

// nlohmann counts bytes from 1 and points at the last character read.
int line_at(std::string_view text, std::size_t byte) {
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

// "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..." keeps only
// "syntax error ...": the message's own line is ours.
std::string parse_message(std::string_view what) {
    if (const auto id_end = what.find("] "); id_end != std::string_view::npos) what.remove_prefix(id_end + 2);
    if (const auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
    std::string message(what);
    std::replace(message.begin(), message.end(), '\n', ' ');
    return message;
}

json parse_json(const std::string& text, std::string_view file) {
    try {
        return json::parse(text, nullptr, true, /*ignore_comments=*/true);  // ARM templates may hold comments
    } catch (const json::parse_error& e) {
        throw ConfigError(fmt::format("{}:{}: not valid JSON: {}", file, line_at(text, e.byte), parse_message(e.what())));
    }
}

// ---- From the findings to the configuration

// A setting the file decided, and why, for the notes.
struct Decided {
    std::string path;
    std::string why;
};

std::string tally_text(const Tally& t, std::string_view what, std::string_view enabled = "enabled") {
    if (t.total == 0) return fmt::format("no {} in the file", what);
    return fmt::format("{} {} in the file, {} {}", t.total, what, t.enabled, enabled);
}

std::string single_text(const Single& s, std::string_view what) {
    if (!s.label) return fmt::format("no {} in the file", what);
    return fmt::format("{}, {}", *s.label, state_word(s.enabled));
}

// The file describes the whole workspace: a connector or rule it lacks is off.
std::vector<Decided> apply_switches(const Findings& f, Config& c) {
    c.connectors.tenant.enabled = f.tenant.enabled;
    c.connectors.xdr.enabled = f.xdr.enabled;
    c.rules.incident_creation = f.mdc_rules.enabled > 0;
    c.rules.automation_close = f.closing_automation.enabled > 0;
    return {
        {"connectors.tenant.enabled", single_text(f.tenant, "tenant-based MDC connector")},
        {"connectors.xdr.enabled", single_text(f.xdr, "Defender XDR connector")},
        {"rules.incident_creation", tally_text(f.mdc_rules, "MDC incident creation rule(s)")},
        {"rules.automation_close", tally_text(f.closing_automation, "automation rule(s) closing new incidents")},
    };
}

// The subscriptions the file names exist at set-up (a Disabled connector names one too: it is
// left uncovered); the connector is on for those with alerts Enabled.
std::vector<Decided> apply_subscriptions(const Findings& f, Config& c, std::string_view file) {
    std::vector<Decided> decided;
    const int named = static_cast<int>(f.subscriptions.size());
    const int enabled = static_cast<int>(std::ranges::count_if(f.subscriptions, &SubscriptionConnector::enabled));
    const int late = c.scope.late_subscriptions;
    const int before = c.scope.subscriptions;
    if (named > before - late) {
        const int fit = model::kMaxSubscriptions - late;
        if (named > fit)
            fail(file, f.subscriptions[static_cast<std::size_t>(fit)].label, "properties.subscriptionId",
                 fmt::format("the file names {} subscriptions, but with scope.late_subscriptions {} only {} fit "
                             "(the model holds at most {} subscriptions)",
                             named, late, fit, model::kMaxSubscriptions));
        c.scope.subscriptions = named + late;
        decided.push_back({"scope.subscriptions",
                           fmt::format("raised from {} so that the {} subscriptions the file names exist at set-up; "
                                       "scope.late_subscriptions {} kept", before, named, late)});
    }
    const int existing = c.scope.subscriptions - late;
    c.connectors.subscription.enabled = enabled > 0;
    c.connectors.subscription.uncovered_subscriptions = enabled > 0 ? existing - enabled : 0;
    decided.push_back({"connectors.subscription.enabled",
                       tally_text({named, enabled}, "AzureSecurityCenter connector(s)", "with alerts Enabled")});
    decided.push_back({"connectors.subscription.uncovered_subscriptions",
                       enabled > 0 ? fmt::format("of the {} subscription(s) existing at set-up, the connector is enabled for {}",
                                                 existing, enabled)
                                   : "the subscription-based connector is off"});
    return decided;
}

// The configuration's YAML keys, "a.b.c" -> value.
void flatten(const json& tree, const std::string& prefix, std::map<std::string, json>& out) {
    for (const auto& [key, value] : tree.items()) {
        if (value.is_object())
            flatten(value, prefix + key + ".", out);
        else
            out.emplace(prefix + key, value);
    }
}

std::map<std::string, json> flat(const Config& c) {
    std::map<std::string, json> out;
    flatten(to_json(c), "", out);
    return out;
}

std::string value_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// The settings the reading rests on.
struct Base {
    Config config;
    std::string source;                             // where its settings came from: "overlay o.yaml"
    std::function<bool(const std::string&)> sets;  // whether `source` set the dotted key
};

// One note per setting: the file's decisions first (with what they override), then the rest in
// key order, each saying whether the base set it or it is the default.
void note_settings(const Config& result, const Base& base, const std::vector<Decided>& decided, std::vector<std::string>& notes) {
    const std::map<std::string, json> now = flat(result);
    const std::map<std::string, json> was = flat(base.config);
    for (const Decided& d : decided) {
        const json& value = now.at(d.path);
        std::string note = fmt::format("{}: {} (from the file: {})", d.path, value_text(value), d.why);
        if (base.sets(d.path) && was.at(d.path) != value)
            note += fmt::format("; this overrides {} set in {}", value_text(was.at(d.path)), base.source);
        notes.push_back(std::move(note));
    }
    std::vector<std::string> defaults;  // one line for them all: the user reads what the file decided
    for (const auto& [path, value] : now) {
        if (std::ranges::find(decided, path, &Decided::path) != decided.end()) continue;
        if (base.sets(path))
            notes.push_back(fmt::format("{}: {} (from {})", path, value_text(value), base.source));
        else
            defaults.push_back(fmt::format("{}: {}", path, value_text(value)));
    }
    if (!defaults.empty())
        notes.push_back(fmt::format("defaults, not in the template: {}", fmt::join(defaults, ", ")));
}

ArmReading read_over(const std::string& json_text, const std::string& file_name, const Base& base) {
    Findings f;
    read_document(parse_json(json_text, file_name), file_name, f);
    Config config = base.config;
    std::vector<Decided> decided = apply_subscriptions(f, config, file_name);
    std::ranges::move(apply_switches(f, config), std::back_inserter(decided));
    note_settings(config, base, decided, f.notes);
    return {config, std::move(f.recognised), std::move(f.ignored), std::move(f.notes)};
}

// ---- Files

// Whether the YAML document sets the dotted key (recursion, not node reassignment: assigning a
// yaml-cpp node writes through to the node it refers to).
bool has_key(const YAML::Node& node, std::string_view path) {
    if (!node.IsMap()) return false;
    const std::size_t dot = path.find('.');
    const YAML::Node child = node[std::string(path.substr(0, dot))];
    if (!child.IsDefined()) return false;
    return dot == std::string_view::npos || has_key(child, path.substr(dot + 1));
}

Base overlay_base(const std::string& path) {
    Base base{load_config(path), "overlay " + path, {}};
    try {
        base.sets = [document = YAML::LoadFile(path)](const std::string& key) { return has_key(document, key); };
    } catch (const YAML::Exception& e) {  // only if the file changed after load_config read it
        throw ConfigError(fmt::format("{}: cannot read file: {}", path, e.what()));
    }
    return base;
}

Base default_base() {
    return {Config{}, "the defaults", [](const std::string&) { return false; }};
}

}  // namespace

ArmReading read_arm(const std::string& template_path, const std::optional<std::string>& overlay_path) {
    const std::string text = read_file(template_path);
    return read_over(text, template_path, overlay_path ? overlay_base(*overlay_path) : default_base());
}

ArmReading read_arm_text(const std::string& json_text, const std::string& file_name, const model::Config& base) {
    // A setting that differs from the default is one the caller set.
    const auto differs = [given = flat(base), defaults = flat(Config{})](const std::string& key) {
        return given.at(key) != defaults.at(key);
    };
    return read_over(json_text, file_name, {base, "the base configuration", differs});
}

std::vector<std::string> describe_reading(const ArmReading& reading) {
    std::vector<std::string> lines;
    const auto add = [&](std::string_view prefix, const std::vector<std::string>& items) {
        for (const std::string& item : items) lines.push_back(fmt::format("{}: {}", prefix, item));
    };
    add("recognised", reading.recognised);
    add("ignored", reading.ignored);
    add("note", reading.notes);
    return lines;
}

}  // namespace alertflow::cli

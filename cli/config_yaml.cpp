#include "cli/config_yaml.hpp"
#include "cli/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

namespace alertflow::cli {
namespace {

using model::Config;

// ---- Enumeration spellings: one table per enum serves parsing, to_string and JSON.

template <class E>
struct Spelling {
    std::string_view name;
    E value;
};

constexpr Spelling<model::XdrMdcAlerts> kXdrMdcAlerts[] = {
    {"all", model::XdrMdcAlerts::All}, {"none", model::XdrMdcAlerts::None}};
constexpr Spelling<model::Timing> kTiming[] = {
    {"any-order", model::Timing::AnyOrder},
    {"subscription-before-tenant", model::Timing::SubscriptionBeforeTenant}};
constexpr Spelling<model::SyncScope> kSyncScope[] = {
    {"alert-id", model::SyncScope::AlertId}, {"own-rows", model::SyncScope::OwnRows}};

// Overloaded on the enum type so generic code can find the table from a value.
std::span<const Spelling<model::XdrMdcAlerts>> spellings(model::XdrMdcAlerts) { return kXdrMdcAlerts; }
std::span<const Spelling<model::Timing>> spellings(model::Timing) { return kTiming; }
std::span<const Spelling<model::SyncScope>> spellings(model::SyncScope) { return kSyncScope; }

template <class E>
std::vector<std::string_view> names_of(E value) {
    std::vector<std::string_view> names;
    for (const auto& s : spellings(value)) names.push_back(s.name);
    return names;
}

template <class E>
std::string spelling_of(E value) {
    for (const auto& s : spellings(value))
        if (s.value == value) return std::string(s.name);
    return std::to_string(static_cast<int>(value));  // only a value cast from outside the enum
}

// ---- The schema: every YAML leaf key, its Config field, and for counts their bounds.

template <class T>
using Slot = T& (*)(Config&);
struct FreeText {};  // a key the model ignores (description): any scalar is accepted
using AnySlot = std::variant<FreeText, Slot<bool>, Slot<int>, Slot<model::XdrMdcAlerts>,
                             Slot<model::Timing>, Slot<model::SyncScope>>;

struct Bounds {
    int low = 0;
    int (*high)(const Config&) = nullptr;  // a function: late_subscriptions depends on subscriptions
    std::string below;                     // why the value cannot be lower
    std::string above;                     // why it cannot be higher
};

struct Field {
    std::string_view path;  // dotted key path; sections are its prefixes
    AnySlot slot;
    Bounds bounds{};  // only for counts
};

// The key path is the member path spelled out, so a YAML key cannot drift from its field.
#define ALERTFLOW_KEY(member) #member, AnySlot{[](Config& c) -> auto& { return c.member; }}

// In YAML order: the order of "valid keys" lists and of the range checks (subscriptions before
// late_subscriptions, whose bound depends on it).
const std::vector<Field>& fields() {
    static const std::vector<Field> table = {
        {"description", FreeText{}},
        {ALERTFLOW_KEY(connectors.subscription.enabled)},
        {ALERTFLOW_KEY(connectors.subscription.bidirectional_sync)},
        {ALERTFLOW_KEY(connectors.subscription.new_subscription_policy)},
        {ALERTFLOW_KEY(connectors.subscription.sync_scope)},
        {ALERTFLOW_KEY(connectors.subscription.uncovered_subscriptions),
         {0, [](const Config& c) { return c.scope.subscriptions - c.scope.late_subscriptions; }, "a count cannot be negative",
          "only subscriptions that exist at set-up (scope.subscriptions - scope.late_subscriptions) can be left uncovered"}},
        {ALERTFLOW_KEY(connectors.tenant.enabled)},
        {ALERTFLOW_KEY(connectors.xdr.enabled)},
        {ALERTFLOW_KEY(xdr.mdc_alerts)},
        {ALERTFLOW_KEY(rules.incident_creation)},
        {ALERTFLOW_KEY(rules.automation_close)},
        {ALERTFLOW_KEY(rules.time_window)},
        {ALERTFLOW_KEY(scope.subscriptions),
         {1, [](const Config&) { return model::kMaxSubscriptions; },
          "an alert needs a subscription to be raised in",
          fmt::format("the state is a fixed-size value: at most {} subscriptions", model::kMaxSubscriptions)}},
        {ALERTFLOW_KEY(scope.late_subscriptions),
         {0, [](const Config& c) { return c.scope.subscriptions - 1; }, "a count cannot be negative",
          "at least one subscription must exist when the connectors are set up"}},
        {ALERTFLOW_KEY(scope.alerts),
         {1, [](const Config&) { return model::kMaxAlerts; }, "with no alert there is nothing to check",
          fmt::format("the state is a fixed-size value: at most {} alerts", model::kMaxAlerts)}},
        {ALERTFLOW_KEY(analysts.close_in_mdc)},
        {ALERTFLOW_KEY(analysts.close_in_sentinel)},
        {ALERTFLOW_KEY(analysts.close_in_xdr)},
        {ALERTFLOW_KEY(analysts.reopen_in_mdc)},
        {ALERTFLOW_KEY(timing)},
        {ALERTFLOW_KEY(faults.tenant_duplicates)},
        {ALERTFLOW_KEY(faults.xdr_incident_before_alert)},
        {ALERTFLOW_KEY(faults.xdr_correlation)},
        {ALERTFLOW_KEY(faults.start_time_skew)},
    };
    return table;
}
#undef ALERTFLOW_KEY

const Field* find_field(std::string_view path) {
    const auto& all = fields();
    const auto it = std::find_if(all.begin(), all.end(), [&](const Field& f) { return f.path == path; });
    return it == all.end() ? nullptr : &*it;
}

// The key names valid directly under `prefix` ("" for the top level, else "section."), in order.
std::vector<std::string_view> keys_under(std::string_view prefix) {
    std::vector<std::string_view> keys;
    for (const Field& f : fields()) {
        if (!f.path.starts_with(prefix)) continue;
        const std::string_view rest = f.path.substr(prefix.size());
        const std::string_view key = rest.substr(0, rest.find('.'));
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    return keys;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};

// ---- Messages

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        default: return "nothing";
    }
}

// Where a message points: "FILE:LINE: KEY: ", leaving out what is unknown.
std::string location(std::string_view file, int line, std::string_view key) {
    std::string out(file);
    if (line > 0) out += fmt::format(":{}", line);
    out += ": ";
    if (!key.empty()) out += fmt::format("{}: ", key);
    return out;
}

// Where a key stands: its dotted path and the line of the key itself (a value left empty has its
// mark on the NEXT line, so the key's line is the one the user wrote).
struct Site {
    std::string path;
    int line;
};

struct Given {
    int line;
    YAML::Node value;
};

// ---- The reader: walks the document against the schema, filling a Config.

class Reader {
public:
    explicit Reader(std::string_view file) : file_(file) {}

    void read_document(const YAML::Node& document) {
        if (document.IsNull()) return;  // "~" or a bare "---": same as an empty file
        if (!document.IsMap())
            fail({"", line_of(document)},
                 fmt::format("expected a mapping of keys at the top level, got {}", describe(document)));
        read_mapping(document, "");
    }

    [[noreturn]] void fail(const Site& site, std::string_view message) const {
        throw ConfigError(location(file_, site.line, site.path) + std::string(message));
    }

    // Range checks wait for the whole file: a bound may depend on a key written later.
    Config finish() {
        for (const Field& f : fields()) {
            const auto given = given_.find(f.path);
            if (!f.bounds.high || given == given_.end()) continue;  // the defaults are in range
            const int value = std::get<Slot<int>>(f.slot)(config_);
            const int high = f.bounds.high(config_);
            if (value < f.bounds.low || value > high)
                fail({std::string(f.path), given->second.line},
                     fmt::format("{} is out of range {}..{} ({})", given->second.value.Scalar(), f.bounds.low,
                                 high, value < f.bounds.low ? f.bounds.below : f.bounds.above));
        }
        return config_;
    }

private:
    void read_mapping(const YAML::Node& mapping, const std::string& prefix) {
        const std::vector<std::string_view> known = keys_under(prefix);
        for (const auto& entry : mapping) {
            const YAML::Node& key = entry.first;
            if (!key.IsScalar()) {
                const std::string section = prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1);
                fail({section, line_of(key)}, "keys must be plain names, got " + describe(key));
            }
            const Site site{prefix + key.Scalar(), line_of(key)};
            if (std::find(known.begin(), known.end(), key.Scalar()) == known.end())
                fail(site, unknown_key(key.Scalar(), known));
            remember(site, entry.second);
            if (const Field* field = find_field(site.path))
                read_leaf(*field, entry.second, site);
            else
                read_section(entry.second, site);
        }
    }

    static std::string unknown_key(std::string_view key, const std::vector<std::string_view>& known) {
        if (const auto guess = closest(key, known)) return fmt::format("unknown key (did you mean '{}'?)", *guess);
        return fmt::format("unknown key (valid keys: {})", fmt::join(known, ", "));
    }

    // yaml-cpp keeps both entries of a repeated key; the second would silently win or lose.
    void remember(const Site& site, const YAML::Node& value) {
        const auto [it, inserted] = given_.try_emplace(site.path, Given{site.line, value});
        if (!inserted) fail(site, fmt::format("duplicate key (first given on line {})", it->second.line));
    }

    void read_section(const YAML::Node& value, const Site& site) {
        if (!value.IsMap()) fail(site, "expected a mapping of keys, got " + describe(value));
        read_mapping(value, site.path + ".");
    }

    void read_leaf(const Field& field, const YAML::Node& value, const Site& site) {
        std::visit(Overloaded{[&](FreeText) {
                                  if (!value.IsScalar()) fail(site, "expected text, got " + describe(value));
                              },
                              [&](auto slot) { read_into(slot(config_), value, site); }},
                   field.slot);
    }

    // Only true/false: yaml-cpp would also take YAML 1.1's y/n/yes/no/on/off, and a switch
    // silently read from "n" or "off" is a surprise we refuse.
    void read_into(bool& target, const YAML::Node& value, const Site& site) const {
        std::string text = value.IsScalar() ? value.Scalar() : "";
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
        if (text == "true" || text == "false") {
            target = text == "true";
            return;
        }
        bool yaml11 = false;
        const bool refused = value.IsScalar() && YAML::convert<bool>::decode(value, yaml11);
        fail(site, fmt::format("expected true or false, got {}{}", describe(value),
                               refused ? " (only true and false are accepted, not yes/no/on/off/y/n)" : ""));
    }

    // Decimal only. A number too large for int keeps its sign and is reported by finish() with
    // the text as written.
    void read_into(int& target, const YAML::Node& value, const Site& site) const {
        const std::string& text = value.Scalar();
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, target);
        if (!value.IsScalar() || error == std::errc::invalid_argument || stop != end)
            fail(site, "expected a whole number, got " + describe(value));
        if (error == std::errc::result_out_of_range) target = text.starts_with('-') ? INT_MIN : INT_MAX;
    }

    template <class E>
    void read_into(E& target, const YAML::Node& value, const Site& site) const {
        const std::vector<std::string_view> names = names_of(target);
        if (!value.IsScalar())
            fail(site, fmt::format("expected one of: {}, got {}", fmt::join(names, ", "), describe(value)));
        for (const auto& s : spellings(target))
            if (s.name == value.Scalar()) {
                target = s.value;
                return;
            }
        const auto guess = closest(value.Scalar(), names);
        fail(site, fmt::format("unknown value '{}' (expected one of: {}{})", value.Scalar(), fmt::join(names, ", "),
                               guess ? fmt::format("; did you mean '{}'?", *guess) : ""));
    }

    std::string_view file_;
    Config config_;
    std::map<std::string, Given, std::less<>> given_;  // every key seen, by dotted path
};

template <class T>
nlohmann::json json_value(T value) {
    if constexpr (std::is_enum_v<T>)
        return spelling_of(value);
    else
        return value;
}

}  // namespace

std::string read_file(const std::string& path) {
    const auto cannot_read = [&] {
        return ConfigError(fmt::format("{}: cannot read file: {}", path, std::generic_category().message(errno)));
    };
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw cannot_read();
    std::string text;
    char buffer[4096];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) text.append(buffer, n);
    if (std::ferror(file.get())) throw cannot_read();  // e.g. a directory: fopen succeeds, reading fails
    return text;
}

model::Config load_config(const std::string& path) { return parse_config(read_file(path), path); }

model::Config parse_config(const std::string& yaml_text, const std::string& file_name) {
    try {
        const std::vector<YAML::Node> documents = YAML::LoadAll(yaml_text);
        if (documents.size() > 1)
            throw ConfigError(location(file_name, line_of(documents[1]), "") +
                              "a second YAML document: a file holds one configuration");
        Reader reader(file_name);
        // An empty file (or comments only) means "all defaults": a file that sets nothing changes nothing.
        if (!documents.empty()) reader.read_document(documents.front());
        return reader.finish();
    } catch (const YAML::ParserException& e) {
        throw ConfigError(location(file_name, e.mark.line + 1, "") + "YAML syntax error: " + e.msg);
    } catch (const YAML::Exception& e) {  // not expected after a successful parse; still one line, not a crash
        throw ConfigError(location(file_name, e.mark.line + 1, "") + "YAML error: " + e.msg);
    }
}

nlohmann::json to_json(const model::Config& config) {
    Config copy = config;  // the slots hand out mutable references; reading through a copy keeps `config` const
    nlohmann::json out = nlohmann::json::object();
    for (const Field& f : fields()) {
        std::string pointer(1, '/');
        pointer.append(f.path);  // not "/" + path: GCC 12 warns falsely (-Wrestrict) on that
        std::replace(pointer.begin(), pointer.end(), '.', '/');
        std::visit(Overloaded{[](FreeText) {},
                              [&](auto slot) { out[nlohmann::json::json_pointer(pointer)] = json_value(slot(copy)); }},
                   f.slot);
    }
    return out;
}

std::string to_string(model::XdrMdcAlerts value) { return spelling_of(value); }
std::string to_string(model::Timing value) { return spelling_of(value); }
std::string to_string(model::SyncScope value) { return spelling_of(value); }

}  // namespace alertflow::cli

#include "core/triage/explain.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace kefu::triage {

std::string to_json(const Result& r) {
    nlohmann::json j;
    j["version"] = 1;
    j["category"] = std::string(to_string(r.category));
    j["tags"] = r.tags;
    j["goods_kind"] = std::string(to_string(r.goods_kind));
    j["language"] = r.language;
    j["static_score"] = r.static_score;
    j["level"] = r.level;
    nlohmann::json terms = nlohmann::json::array();
    for (const Term& t : r.terms) {
        terms.push_back({{"name", t.name},
                         {"raw", t.raw},
                         {"coefficient", t.coefficient},
                         {"contribution", t.contribution},
                         {"detail", t.detail}});
    }
    j["terms"] = std::move(terms);
    nlohmann::json fired = nlohmann::json::array();
    for (const Fired& f : r.fired) {
        fired.push_back({{"rule", f.rule_id}, {"matched", f.matched}});
    }
    j["fired"] = std::move(fired);
    j["captures"] = r.captures;
    // Invalid UTF-8 in a matched word or a capture is replaced rather than failing.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result result_from_json(std::string_view json) {
    Result r;
    try {
        nlohmann::json j = nlohmann::json::parse(json);
        if (!j.is_object()) {
            throw Error("bad triage record", "", "not a JSON object");
        }
        if (auto c = parse_category(j.value("category", std::string("other")))) {
            r.category = *c;
        }
        if (auto g = parse_goods_kind(j.value("goods_kind", std::string("unknown")))) {
            r.goods_kind = *g;
        }
        r.tags = j.value("tags", std::vector<std::string>{});
        r.language = j.value("language", std::string());
        r.static_score = j.value("static_score", 0.0);
        r.level = j.value("level", std::string());
        for (const auto& t : j.value("terms", nlohmann::json::array())) {
            r.terms.push_back({t.at("name").get<std::string>(), t.at("raw").get<double>(),
                               t.at("coefficient").get<double>(),
                               t.at("contribution").get<double>(),
                               t.value("detail", std::string())});
        }
        for (const auto& f : j.value("fired", nlohmann::json::array())) {
            r.fired.push_back({f.at("rule").get<std::string>(),
                               f.value("matched", std::vector<std::string>{})});
        }
        r.captures = j.value("captures", std::map<std::string, std::string>{});
    } catch (const nlohmann::json::exception& e) {
        throw Error("bad triage record", "", e.what());
    }
    return r;
}

}  // namespace kefu::triage

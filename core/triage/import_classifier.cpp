#include "core/triage/import_classifier.h"

#include <utility>

namespace kefu::triage {

Classifier import_classifier(std::shared_ptr<const Engine> engine) {
    Classifier c;
    c.text = [engine](const NewInquiry& in) {
        auto scored = std::make_shared<Scored>(engine->score({in.subject, in.body, in.goods_kind}));
        Classification cls;
        cls.category = scored->category;
        cls.tags = std::move(scored->tags);
        cls.static_score = scored->static_score;
        cls.language = std::move(scored->language);
        cls.goods_kind = scored->goods_kind;
        cls.captures = std::move(scored->captures);
        cls.detail = std::move(scored);
        return cls;
    };
    c.signals = [engine](Classification& cls, const BuyerSignals& s) {
        auto* scored = static_cast<Scored*>(cls.detail.get());
        engine->apply_signals(*scored, {s.vip, s.open_from_customer, s.thread_messages});
        cls.static_score = scored->static_score;
    };
    return c;
}

}  // namespace kefu::triage

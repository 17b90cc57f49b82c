// The phone page's data for a ticket through its day, and the links that open it.

#include "../queue/engine_fixture.hpp"
#include "phone/links.hpp"
#include "phone/view.hpp"

using namespace motcua;
using namespace motcua::queue;
using namespace motcua::queue::testing;
using motcua::phone::Links;
using motcua::phone::Rated;
using motcua::phone::ticket_view;

namespace
{

struct PhoneView : ::testing::Test
{
    config::Config cfg = office();
    Engine engine{cfg};
    void SetUp() override { start_day(engine, at(0)); }
    TicketId issue(const char* priority = "", int t = 0) { return commit(engine, engine.issue(at(t), "TP", priority)).ticket; }
    nlohmann::json view(TicketId id, int t, Rated rated = Rated::no)
    {
        return ticket_view(engine, *engine.ticket(id), at(t).wall, rated);
    }
};

TEST_F(PhoneView, WaitingThenCalledThenDoneThenRated)
{
    commit(engine, engine.open(at(0), 3, "cb-hoa"));
    // Five served at 4 minutes each: enough for an estimate.
    for (int i = 0; i < 5; ++i)
    {
        issue("", i);
        commit(engine, engine.call_next(at(100 + i * 240), 3));
        commit(engine, engine.done(at(100 + (i + 1) * 240), 3));
    }
    const auto a = issue("", 2000);
    const auto b = issue("", 2001);
    const auto me = issue("", 2002);
    const auto elderly = issue("elderly", 2003); // called before me: strict policy

    auto v = view(me, 2010);
    EXPECT_EQ(v["state"], "waiting");
    EXPECT_EQ(v["label"], "TP-1008");
    EXPECT_EQ(v["service"], "Tư pháp – Hộ tịch");
    EXPECT_EQ(v["ahead"], 3);
    EXPECT_EQ(v["estimate"]["kind"], "minutes");
    EXPECT_EQ(v["estimate"]["minutes"], 12); // 3 × 4 min / 1 open counter
    EXPECT_EQ(v["estimate"]["text"], "khoảng 12 phút");
    EXPECT_EQ(v["rating"], "not_yet");
    // Nothing about the holder, not even the priority class.
    for (const char* key : {"priority", "officer", "ticket", "issued_at", "name", "phone"})
        EXPECT_FALSE(v.contains(key)) << key;
    EXPECT_EQ(view(elderly, 2010)["ahead"], 0);
    EXPECT_EQ(view(elderly, 2010)["estimate"]["text"], "sắp đến lượt bạn");

    for (auto id : {elderly, a, b})
    {
        auto c = commit(engine, engine.call_next(at(3000), 3));
        EXPECT_EQ(c.ticket, id);
        commit(engine, engine.done(at(3000), 3));
    }
    commit(engine, engine.call_next(at(3100), 3));
    v = view(me, 3100);
    EXPECT_EQ(v["state"], "called");
    EXPECT_EQ(v["counter"]["number"], 3);
    EXPECT_EQ(v["counter"]["name"], "Quầy 3");
    EXPECT_EQ(v["recalls"], 0);
    EXPECT_FALSE(v.contains("ahead"));
    commit(engine, engine.recall(at(3200), 3));
    EXPECT_EQ(view(me, 3200)["recalls"], 1);

    commit(engine, engine.done(at(3400), 3));
    EXPECT_EQ(view(me, 3400)["state"], "done");
    EXPECT_EQ(view(me, 3400)["rating"], "open");
    EXPECT_EQ(view(me, 3400, Rated::yes)["rating"], "given");
}

TEST_F(PhoneView, TooFewSamplesOrNoCounterIsSaid)
{
    issue();
    const auto me = issue();
    auto v = view(me, 10);
    EXPECT_EQ(v["ahead"], 1);
    EXPECT_EQ(v["estimate"]["kind"], "no_open_counter");
    commit(engine, engine.open(at(0), 1, "cb01"));
    v = view(me, 10);
    EXPECT_EQ(v["estimate"]["kind"], "too_few_samples");
    EXPECT_EQ(v["estimate"]["text"], "chưa đủ số liệu");
    EXPECT_TRUE(v["estimate"]["minutes"].is_null());
}

TEST_F(PhoneView, AbsentSaysUntilWhenItCanBeReadmitted)
{
    commit(engine, engine.open(at(0), 1, "cb01"));
    const auto me = issue();
    commit(engine, engine.call_next(at(60), 1));
    commit(engine, engine.no_show(at(120), 1)); // 08:02
    auto v = view(me, 180);
    EXPECT_EQ(v["state"], "absent");
    EXPECT_EQ(v["readmit"]["minutes"], 30);
    EXPECT_EQ(v["readmit"]["until"], "08:32");
    EXPECT_EQ(v["readmit"]["open"], true);
    EXPECT_EQ(view(me, 120 + 31 * 60)["readmit"]["open"], false);
}

TEST(EstimateText, MinutesAndHours)
{
    using K = WaitEstimate::Kind;
    EXPECT_EQ(phone::estimate_text({K::minutes, 1, 5}), "khoảng 1 phút");
    EXPECT_EQ(phone::estimate_text({K::minutes, 60, 5}), "khoảng 1 giờ");
    EXPECT_EQ(phone::estimate_text({K::minutes, 80, 5}), "khoảng 1 giờ 20 phút");
    EXPECT_EQ(phone::estimate_text({K::too_few_samples, 0, 2}), "chưa đủ số liệu");
}

TEST_F(PhoneView, ALinkOpensItsTicketForItsDayOnly)
{
    const Links links(std::string(32, 'k'), "http://192.168.1.10:8080/");
    const auto id = issue("", 5);
    const auto& t = *engine.ticket(id);
    const auto url = links.status_url(engine, t);
    EXPECT_EQ(url.rfind("http://192.168.1.10:8080/t/", 0), 0u) << url;
    const auto token = url.substr(url.rfind('/') + 1);
    EXPECT_EQ(token, links.token(engine, t));
    EXPECT_LE(url.size(), 62u) << "QR version 4 at level M holds 62 bytes";
    EXPECT_EQ(links.open(engine, token, at(600).wall), &t);
    // The same link after a restart: a new Links with the same secret.
    EXPECT_EQ(Links(std::string(32, 'k'), "http://192.168.1.10:8080").open(engine, token, at(700).wall), &t);
    // Another installation's secret, a forged token, the next business day (the cut-off is
    // 03:00: 02:59 tomorrow is still today, 03:00 is not).
    EXPECT_EQ(Links(std::string(32, 'x'), "http://a").open(engine, token, at(600).wall), nullptr);
    auto forged = token;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(links.open(engine, forged, at(600).wall), nullptr);
    EXPECT_EQ(links.open(engine, token, at(18 * 3600 + 59 * 60).wall), &t);
    EXPECT_EQ(links.open(engine, token, at(19 * 3600).wall), nullptr);
}

} // namespace

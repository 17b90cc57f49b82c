#include "dossier/report.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace motcua::dossier
{
namespace
{

namespace chr = std::chrono;

LocalDateTime at(const char* text) { return *parse_local_date_time(text); }
Date d(const char* text) { return *parse_date(text); }

std::string percent(double share)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", share * 100.0);
    return buf;
}

LocalDateTime plus_minutes(LocalDateTime t, std::int64_t m) { return from_minutes(to_minutes(t) + m); }

// A dossier received `day` days into 2018 at 09:00, due 3 days later at 17:00.
Dossier make(int day, Channel channel, const std::string& field)
{
    Dossier x;
    x.received_at = LocalDateTime{Date{chr::sys_days{d("2018-01-01")} + chr::days{day}}, TimeOfDay{9 * 60}};
    x.due_at = LocalDateTime{Date{chr::sys_days{x.received_at.date} + chr::days{3}}, TimeOfDay{17 * 60}};
    x.channel = channel;
    x.field = field;
    return x;
}

// Hoài Đức district desk, 2018 (domain.md §10): 3,897 received, 1,650 of them online;
// 3,780 resolved, 3,765 early or on time; the rest still open at the year's end.
std::vector<Dossier> hoai_duc_2018()
{
    const char* fields[] = {"Tư pháp – Hộ tịch", "Đất đai", "Lao động – TBXH"};
    std::vector<Dossier> out;
    for (int i = 0; i < 3897; ++i)
    {
        // The first 1,650 online; the rest in person, every fifth of them by post.
        Channel ch = i < 1650 ? Channel::online : (i % 5 == 0 ? Channel::postal : Channel::direct);
        auto x = make(i % 330, ch, fields[i % 3]);
        if (i < 3000) // early: decided an hour after receipt
            x.result_at = plus_minutes(x.received_at, 60);
        else if (i < 3765) // on time: an hour before due (inside the 24 h early margin)
            x.result_at = plus_minutes(*x.due_at, -60);
        else if (i < 3780) // late: a day after due
            x.result_at = plus_minutes(*x.due_at, 24 * 60);
        else // 117 still open on 31/12/2018: received in late December
        {
            x.received_at = at("2018-12-28 09:00");
            x.due_at = i < 3880 ? at("2019-01-03 17:00") : at("2018-12-20 17:00"); // 100 within, 17 over
            if (i >= 3880)
                x.received_at = at("2018-12-17 09:00");
        }
        out.push_back(std::move(x));
    }
    // Outside the period: finished in 2017, and received in 2019.
    auto old = make(0, Channel::direct, fields[0]);
    old.received_at = at("2017-11-01 09:00");
    old.due_at = at("2017-11-06 17:00");
    old.result_at = at("2017-11-02 09:00");
    out.push_back(old);
    auto next = make(0, Channel::online, fields[0]);
    next.received_at = at("2019-01-02 09:00");
    next.due_at = at("2019-01-07 17:00");
    out.push_back(next);
    return out;
}

TEST(DossierReport, HoaiDuc2018MatchesTheSourceArticle)
{
    auto report = dossier_report(hoai_duc_2018(), Period{d("2018-01-01"), d("2018-12-31")}, GroupBy::none, {});
    const auto& t = report.total;
    EXPECT_EQ(t.received, 3897);
    EXPECT_EQ(t.received_online, 1650);
    EXPECT_EQ(t.received_direct_postal, 2247);
    EXPECT_EQ(t.carried_over, 0);
    EXPECT_EQ(percent(t.online_share()), "42.3");
    EXPECT_EQ(t.resolved, 3780);
    EXPECT_EQ(t.early + t.on_time, 3765);
    EXPECT_EQ(t.early, 3000);
    EXPECT_EQ(t.late, 15);
    EXPECT_EQ(percent(t.on_time_rate()), "99.6");
    EXPECT_EQ(t.in_progress, 117);
    EXPECT_EQ(t.within_due, 100);
    EXPECT_EQ(t.over_due, 17);
    EXPECT_TRUE(report.rows.empty());
}

TEST(DossierReport, GroupsAddUpToTheTotal)
{
    auto report = dossier_report(hoai_duc_2018(), Period{d("2018-01-01"), d("2018-12-31")}, GroupBy::field, {});
    ASSERT_EQ(report.rows.size(), 3u);
    DossierCounts sum;
    for (const auto& r : report.rows)
        sum += r.counts;
    EXPECT_EQ(sum.received, report.total.received);
    EXPECT_EQ(sum.resolved, report.total.resolved);
    EXPECT_EQ(sum.late, report.total.late);
    EXPECT_EQ(report.rows[0].key, "Lao động – TBXH"); // sorted by key (byte order)
    EXPECT_EQ(report.rows[0].counts.received, 1299);  // i % 3 == 2 for i < 3897
}

TEST(DossierReport, CarriedOverAndPeriodBoundaries)
{
    std::vector<Dossier> v;
    // Received in March, resolved in April: carried over into April, resolved on time.
    auto a = make(0, Channel::direct, "F");
    a.received_at = at("2025-03-31 15:00");
    a.due_at = at("2025-04-03 17:00");
    a.result_at = at("2025-04-03 10:00");
    v.push_back(a);
    // Received on the period's last day at 16:59: in the period, open within due.
    auto b = make(0, Channel::postal, "F");
    b.received_at = at("2025-04-30 16:59");
    b.due_at = at("2025-05-06 17:00");
    v.push_back(b);
    // Received the day after the period: not counted.
    auto c = make(0, Channel::online, "F");
    c.received_at = at("2025-05-01 00:00");
    c.due_at = at("2025-05-06 17:00");
    v.push_back(c);
    auto r = dossier_report(v, Period{d("2025-04-01"), d("2025-04-30")}, GroupBy::none, {});
    EXPECT_EQ(r.total.carried_over, 1);
    EXPECT_EQ(r.total.received, 1);
    EXPECT_EQ(r.total.received_direct_postal, 1);
    EXPECT_EQ(r.total.resolved, 1);
    EXPECT_EQ(r.total.on_time, 1);
    EXPECT_EQ(r.total.within_due, 1);
    // QĐ 766 rate: (on time 1 + open within due 1) / handled 2.
    EXPECT_DOUBLE_EQ(r.total.qd766_rate(), 1.0);
}

TEST(DossierReport, ApologiesAndLapsedSupplementsAreCounted)
{
    // The province scores the apologies sent in the period (Mẫu 04) beside the refusals,
    // withdrawals and stops; a dossier waiting for a supplement past the applicant's
    // deadline is still in progress, and flagged.
    std::vector<Dossier> v;
    auto a = make(0, Channel::direct, "F");
    a.received_at = at("2025-03-20 09:00");
    a.due_at = at("2025-04-02 17:00");
    a.apologies = {Apology{at("2025-03-31 16:00"), at("2025-04-08 17:00"), "chờ xác minh"},  // before the period
                   Apology{at("2025-04-07 10:00"), at("2025-04-15 17:00"), "chờ ý kiến"}};    // in it
    v.push_back(a);
    auto b = make(0, Channel::direct, "F");
    b.received_at = at("2025-04-01 09:00");
    b.due_at = at("2025-04-04 17:00");
    b.supplements = {SupplementRequest{at("2025-04-01 10:00"), {}, "", {"Tờ khai"}, at("2025-04-03 17:00")}};
    v.push_back(b);
    auto r = dossier_report(v, Period{d("2025-04-01"), d("2025-04-30")}, GroupBy::none, {});
    EXPECT_EQ(r.total.apologies, 1);
    EXPECT_EQ(r.total.supplement_lapsed, 1);
    EXPECT_EQ(r.total.in_progress, 2);
    // Judged at the end of March, before the deadline, nothing had lapsed.
    auto march = dossier_report(v, Period{d("2025-03-01"), d("2025-03-31")}, GroupBy::none, {});
    EXPECT_EQ(march.total.supplement_lapsed, 0);
    EXPECT_EQ(march.total.apologies, 1);
}

WallTime wall(const char* local) { return from_local(at(local).date, at(local).time, UtcOffset{}); }

TEST(SatisfactionReport, SharePerFieldAndCounter)
{
    std::vector<Rating> v;
    auto add = [&](const char* when, int counter, const char* field, Vote vote, int n) {
        for (int i = 0; i < n; ++i)
            v.push_back(Rating{wall(when), counter, "officer" + std::to_string(counter), field, "S", vote, "panel"});
    };
    add("2018-06-01 09:00", 1, "Tư pháp", Vote::very_satisfied, 40);
    add("2018-06-01 09:00", 1, "Tư pháp", Vote::satisfied, 59);
    add("2018-06-01 09:00", 1, "Tư pháp", Vote::dissatisfied, 1); // 99 / 100
    add("2018-06-01 09:00", 2, "Đất đai", Vote::satisfied, 49);
    add("2018-06-01 09:00", 2, "Đất đai", Vote::dissatisfied, 1);  // 49 / 50
    add("2019-01-01 00:00", 2, "Đất đai", Vote::dissatisfied, 10); // outside the period
    auto r = satisfaction_report(v, wall("2018-01-01 00:00"), wall("2019-01-01 00:00"), GroupBy::field);
    EXPECT_EQ(r.total.votes, 150);
    EXPECT_DOUBLE_EQ(r.total.satisfied_share(), 148.0 / 150.0);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].key, "Tư pháp"); // byte order: 'T' sorts before 'Đ'
    EXPECT_DOUBLE_EQ(r.rows[0].counts.satisfied_share(), 0.99);
    EXPECT_DOUBLE_EQ(r.rows[1].counts.satisfied_share(), 0.98);
    auto by_counter = satisfaction_report(v, wall("2018-01-01 00:00"), wall("2019-01-01 00:00"), GroupBy::counter);
    ASSERT_EQ(by_counter.rows.size(), 2u);
    EXPECT_EQ(by_counter.rows[0].key, "1");
    EXPECT_EQ(by_counter.rows[0].counts.votes, 100);
}

TEST(SatisfactionReport, PanelAndPhoneVotesCountAlikeAndPhonesAreNamed)
{
    const auto when = wall("2018-06-01 09:00");
    std::vector<Rating> v{
        Rating{when, 1, "o1", "Tư pháp", "TP", Vote::very_satisfied, "panel"},
        Rating{when, 1, "o1", "Tư pháp", "TP", Vote::dissatisfied, "phone"},
        Rating{when, 2, "o2", "Đất đai", "DD", Vote::satisfied, "phone"},
        Rating{when, 2, "o2", "Đất đai", "DD", Vote::satisfied, ""}, // a row older than the phone page
    };
    auto r = satisfaction_report(v, wall("2018-01-01 00:00"), wall("2019-01-01 00:00"), GroupBy::counter);
    EXPECT_EQ(r.total.votes, 4);
    EXPECT_EQ(r.total.from_phone, 2);
    EXPECT_EQ(r.total.dissatisfied, 1);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].counts.from_phone, 1);
    EXPECT_EQ(r.rows[1].counts.from_phone, 1);
}

TEST(QueueReport, CountsAndWaitStatistics)
{
    std::vector<TicketRecord> v;
    auto base = wall("2025-03-10 08:00");
    // Ten served tickets waiting 1..10 minutes, each served for 5 minutes.
    for (int i = 1; i <= 10; ++i)
    {
        TicketRecord t;
        t.issued = base;
        t.called = base + chr::minutes{i};
        t.done = *t.called + chr::minutes{5};
        t.service = "TP";
        v.push_back(t);
    }
    // A no-show called after 20 minutes, and a ticket never called.
    TicketRecord ns;
    ns.issued = base;
    ns.called = base + chr::minutes{20};
    ns.no_show = true;
    ns.service = "DD";
    v.push_back(ns);
    TicketRecord waiting;
    waiting.issued = base;
    waiting.service = "DD";
    v.push_back(waiting);
    auto r = queue_report(v, wall("2025-03-10 00:00"), wall("2025-03-11 00:00"), GroupBy::service);
    EXPECT_EQ(r.total.issued, 12);
    EXPECT_EQ(r.total.served, 10);
    EXPECT_EQ(r.total.no_show, 1);
    // Waits of the 11 called tickets: 1..10 and 20 minutes; mean 75/11 min = 409090 ms;
    // nearest-rank p90 = the ceil(9.9) = 10th smallest = 10 minutes.
    EXPECT_EQ(r.total.wait.count, 11);
    EXPECT_EQ(r.total.wait.mean, chr::milliseconds{75 * 60000 / 11});
    EXPECT_EQ(r.total.wait.p90, chr::minutes{10});
    EXPECT_EQ(r.total.service.count, 10);
    EXPECT_EQ(r.total.service.mean, chr::minutes{5});
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].key, "DD");
    EXPECT_EQ(r.rows[0].counts.issued, 2);
    EXPECT_EQ(r.rows[1].counts.wait.p90, chr::minutes{9}); // TP: ceil(9) = 9th of 1..10
}

// Per hour of the day: each ticket in the local hour it was issued, however late it was
// called; the keys are two-digit hours so they sort as the day goes.
TEST(QueueReport, GroupsByLocalHourOfIssue)
{
    std::vector<TicketRecord> v;
    auto add = [&](const char* issued, int wait_min, int service_min) {
        TicketRecord t;
        t.issued = wall(issued);
        t.called = t.issued + chr::minutes{wait_min};
        t.done = *t.called + chr::minutes{service_min};
        v.push_back(t);
    };
    add("2025-03-10 07:30", 10, 4);
    add("2025-03-10 07:59", 40, 6); // called after 08:00: still the 07 hour
    add("2025-03-10 08:00", 2, 8);
    add("2025-03-11 14:05", 20, 10);
    add("2025-03-10 23:59", 1, 1); // outside the period
    auto r = queue_report(v, wall("2025-03-10 00:00"), wall("2025-03-10 23:00"), GroupBy::hour, UtcOffset{});
    EXPECT_EQ(r.total.issued, 3);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].key, "07");
    EXPECT_EQ(r.rows[0].counts.issued, 2);
    EXPECT_EQ(r.rows[0].counts.wait.mean, chr::minutes{25});
    EXPECT_EQ(r.rows[0].counts.service.mean, chr::minutes{5});
    EXPECT_EQ(r.rows[1].key, "08");
    EXPECT_EQ(r.rows[1].counts.wait.p90, chr::minutes{2});

    // The hour is local: 07:30 in Hà Nội is 00:30 UTC.
    auto whole = queue_report(v, wall("2025-03-10 00:00"), wall("2025-03-12 00:00"), GroupBy::hour, UtcOffset{});
    ASSERT_EQ(whole.rows.size(), 4u);
    EXPECT_EQ(whole.rows[2].key, "14");
    EXPECT_EQ(whole.rows[3].key, "23");
    auto utc = queue_report(v, wall("2025-03-10 00:00"), wall("2025-03-12 00:00"), GroupBy::hour,
                            UtcOffset{chr::minutes{0}});
    EXPECT_EQ(utc.rows[0].key, "00");
    EXPECT_EQ(group_by_from("hour"), GroupBy::hour);
    EXPECT_EQ(to_string(GroupBy::hour), "hour");
}

TEST(SatisfactionReport, ByHourOfTheVoteAndDossiersByHourOfReceipt)
{
    std::vector<Rating> votes{Rating{wall("2018-06-01 09:10"), 1, "o1", "Tư pháp", "TP", Vote::satisfied, "panel"},
                              Rating{wall("2018-06-01 09:50"), 1, "o1", "Tư pháp", "TP", Vote::dissatisfied, "panel"},
                              Rating{wall("2018-06-01 16:00"), 2, "o2", "Đất đai", "DD", Vote::very_satisfied, ""}};
    auto r = satisfaction_report(votes, wall("2018-01-01 00:00"), wall("2019-01-01 00:00"), GroupBy::hour);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].key, "09");
    EXPECT_EQ(r.rows[0].counts.votes, 2);
    EXPECT_EQ(r.rows[1].key, "16");

    auto a = make(0, Channel::direct, "Tư pháp");
    auto b = make(0, Channel::online, "Tư pháp");
    b.received_at.time = TimeOfDay{14 * 60 + 45};
    auto dr = dossier_report({a, b}, Period{d("2018-01-01"), d("2018-01-31")}, GroupBy::hour, {});
    ASSERT_EQ(dr.rows.size(), 2u);
    EXPECT_EQ(dr.rows[0].key, "09");
    EXPECT_EQ(dr.rows[1].key, "14");
    EXPECT_EQ(dr.rows[1].counts.received_online, 1);
}

} // namespace
} // namespace motcua::dossier

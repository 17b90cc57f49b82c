// The forms a citizen takes home, through the real daemon, CLI and simulated printer: a
// dossier received at the desk gets its receipt and appointment slip printed on the
// counter's thermal printer (decoded back by motcua-sim: code, QR, due time, documents);
// another is refused and a third withdrawn, and the report's counts move exactly as the
// rules say; the letters, the control slip and the register book come out as pages.

#include "register_fixture.hpp"

#include "database_peek.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <thread>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// "2026-02-05 17:00" as the forms print it: "17 giờ 00 phút, ngày 05/02/2026".
std::string form_time(const std::string& local)
{
    return local.substr(11, 2) + " giờ " + local.substr(14, 2) + " phút, ngày " + local.substr(8, 2) + "/" +
           local.substr(5, 2) + "/" + local.substr(0, 4);
}

class RegisterForms : public RegisterProcess
{
  protected:
    std::unique_ptr<Child> sim;

    void SetUp() override
    {
        dir.write("office.toml", register_config(source_dir() + "/config/calendar") + R"(
[[printer]]
name = "quay-1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/quay-1"
status_timeout_ms = 200
retry_ms = 300
)");
        // [register] authority and place for the forms' header: appended to the section
        // by rewriting its first line.
        auto text = read_file(config());
        text.replace(text.find("[register]\n"), 11,
                     "[register]\nauthority = \"UBND xã Thử Nghiệm\"\nplace = \"Thử Nghiệm\"\n");
        dir.write("office.toml", text);
        sim = std::make_unique<Child>(std::vector<std::string>{bin_dir() + "/motcua-sim", "--config", config(),
                                                               "--socket", dir.file("sim.sock")},
                                      dir.file("sim.log"));
        ASSERT_TRUE(wait_for_socket(dir.file("sim.sock"), std::chrono::seconds(10))) << read_file(dir.file("sim.log"));
    }

    // What the simulated printer decoded, once it has at least `count` cut jobs (bounded wait).
    json printed(std::size_t count)
    {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        json t;
        do
        {
            auto out = run({bin_dir() + "/motcua-sim", "--socket", dir.file("sim.sock"), "--json", "tickets",
                            "--printer", "quay-1"});
            t = json::parse(out.out, nullptr, false)["tickets"];
            if (t.is_array() && t.size() >= count)
                return t;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } while (std::chrono::steady_clock::now() < deadline);
        return t;
    }

    json dossier_counts(const std::string& day)
    {
        return ctl_json({"report", "--from", day, "--to", day})["dossiers"]["total"];
    }
};

TEST_F(RegisterForms, ReceiptPrintedRefusedAndWithdrawnCountedAsTheRulesSay)
{
    start();
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"open", "1", "--officer", "Nguyễn Văn Hòa"}).exit_code, 0);
    ASSERT_EQ(ctl({"call", "1"}).exit_code, 0);

    // 1. Received at the desk, with the documents the citizen handed in.
    auto d = ctl_json({"dossier", "receive", "--counter", "1", "--procedure", "2.000001.H38", "--name",
                       "Trần Thị Bích", "--document", "Tờ khai đăng ký khai sinh", "--document", "Giấy chứng sinh",
                       "--fee", "Miễn lệ phí"});
    const std::string code = d["code"];
    const std::string due = d["due_at"];
    EXPECT_EQ(d["documents"], json({"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}));

    // 2. The receipt and appointment slip on the counter's printer, decoded by the simulator.
    auto receipt = ctl({"dossier", "receipt", code});
    ASSERT_EQ(receipt.exit_code, 0) << receipt.err;
    EXPECT_TRUE(contains(receipt.out, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ of dossier " + code + " printed on quay-1"))
        << receipt.out;
    auto jobs = printed(1);
    ASSERT_EQ(jobs.size(), 1u) << jobs.dump();
    const auto& slip = jobs[0];
    EXPECT_TRUE(slip["problems"].empty()) << slip.dump();
    EXPECT_TRUE(slip["cut"].get<bool>());
    auto text = std::regex_replace(slip["text"].get<std::string>(), std::regex("\n"), " ");
    EXPECT_TRUE(contains(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")) << text;
    EXPECT_TRUE(contains(text, "Mã hồ sơ: " + code)) << text;
    EXPECT_TRUE(contains(text, "Thời gian hẹn trả kết quả: " + form_time(due))) << text;
    EXPECT_TRUE(contains(text, "1. Tờ khai đăng ký khai sinh")) << text;
    EXPECT_TRUE(contains(text, "2. Giấy chứng sinh")) << text;
    EXPECT_TRUE(contains(text, "Phí, lệ phí: Miễn lệ phí")) << text;
    EXPECT_TRUE(contains(text, "Người tiếp nhận: Nguyễn Văn Hòa")) << text;
    EXPECT_TRUE(contains(text, "UBND xã Thử Nghiệm")) << text;
    ASSERT_EQ(slip["qr"].size(), 1u);
    EXPECT_EQ(slip["qr"][0], code);
    EXPECT_EQ(query_value(dir.file("motcua.db"),
                          "SELECT json_extract(payload, '$.code') FROM journal WHERE kind = 'dossier.form_printed'"),
              code);

    // 3. Two more dossiers: all three open and within due. All three take days: a same-day
    // procedure received before the cut-off is due at the close of today, so at the end of
    // today's period it would count over due (as it should) — and the test would pass or
    // fail by the hour it runs.
    auto second = ctl_json({"dossier", "receive", "--procedure", "2.000001.H38", "--name", "Lê <Văn> Cường"});
    auto third = ctl_json({"dossier", "receive", "--procedure", "2.000001.H38", "--name", "Phạm Thị Dung"});
    const std::string today = d["received_at"].get<std::string>().substr(0, 10);
    auto before = dossier_counts(today);
    EXPECT_EQ(before["received"], 3);
    EXPECT_EQ(before["in_progress"], 3);
    EXPECT_EQ(before["within_due"], 3);
    EXPECT_EQ(before["refused"], 0);

    // 4. Refuse the second, the citizen withdraws the third: each leaves the open counts
    // for its own column, none is resolved, and the QĐ 766 rate's denominator loses both.
    ASSERT_EQ(ctl({"dossier", "refuse", second["code"], "--reason", "Không thuộc thẩm quyền & sai mẫu"}).exit_code, 0);
    ASSERT_EQ(ctl({"dossier", "withdraw", third["code"], "--reason", "Công dân rút hồ sơ"}).exit_code, 0);
    auto after = dossier_counts(today);
    EXPECT_EQ(after["received"], 3);
    EXPECT_EQ(after["in_progress"], 1);
    EXPECT_EQ(after["within_due"], 1);
    EXPECT_EQ(after["over_due"], 0);
    EXPECT_EQ(after["refused"], 1);
    EXPECT_EQ(after["withdrawn"], 1);
    EXPECT_EQ(after["stopped"], 0);
    EXPECT_EQ(after["resolved"], 0);
    EXPECT_DOUBLE_EQ(after["qd766_rate"].get<double>(), 1.0); // 1 within due / (3 handled - 2 closed)

    // 5. The letters: a refusal for the refused one (escaped on the page), a stop notice
    // for the withdrawn one, neither for the open one.
    auto page = dir.file("refusal.html");
    auto written = ctl({"dossier", "form", second["code"], "--kind", "refusal", "--html", page});
    ASSERT_EQ(written.exit_code, 0) << written.err;
    auto html = read_file(page);
    EXPECT_TRUE(contains(html, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"));
    EXPECT_TRUE(contains(html, "Không thuộc thẩm quyền &amp; sai mẫu"));
    EXPECT_TRUE(contains(html, "Lê &lt;Văn&gt; Cường"));
    EXPECT_TRUE(contains(html, "Bản giao tổ chức, cá nhân"));
    auto stop = ctl({"dossier", "form", third["code"], "--kind", "stop"});
    ASSERT_EQ(stop.exit_code, 0) << stop.err;
    EXPECT_TRUE(contains(stop.out, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")) << stop.out;
    EXPECT_TRUE(contains(stop.out, "Lý do: Công dân rút hồ sơ")) << stop.out;
    auto wrong = ctl({"dossier", "form", code, "--kind", "refusal"});
    EXPECT_NE(wrong.exit_code, 0);
    EXPECT_TRUE(contains(wrong.err, "form_not_applicable")) << wrong.err;

    // 6. A hand-off with its own deadline shows on the control slip.
    auto tomorrow_noon = [&] {
        auto t = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days{1};
        std::chrono::year_month_day ymd{t};
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u 12:00", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        return std::string(buf);
    }();
    ASSERT_EQ(ctl({"dossier", "transfer", code, "--to", "Công chức Tư pháp", "--deadline", tomorrow_noon}).exit_code, 0);
    auto slip_text = ctl({"dossier", "form", code, "--kind", "control"});
    ASSERT_EQ(slip_text.exit_code, 0) << slip_text.err;
    EXPECT_TRUE(contains(slip_text.out, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")) << slip_text.out;
    EXPECT_TRUE(contains(slip_text.out, "Bộ phận Một cửa -> Công chức Tư pháp")) << slip_text.out;
    EXPECT_TRUE(contains(slip_text.out, "hạn " + form_time(tomorrow_noon))) << slip_text.out;
    EXPECT_TRUE(contains(slip_text.out, "Đang giải quyết, còn hạn")) << slip_text.out;
    auto shown = ctl_json({"dossier", "show", code});
    ASSERT_EQ(shown["steps"].size(), 1u);
    EXPECT_EQ(shown["steps"][0]["deadline"], tomorrow_noon);
    EXPECT_EQ(shown["steps"][0]["outcome"], "open_within_due");

    // 7. The register book as a printable page, beside the CSV.
    auto book = ctl({"dossier", "export", "--from", today, "--to", today, "--format", "html"});
    ASSERT_EQ(book.exit_code, 0) << book.err;
    EXPECT_TRUE(contains(book.out, "SỔ THEO DÕI HỒ SƠ"));
    for (const auto& c : {code, second["code"].get<std::string>(), third["code"].get<std::string>()})
        EXPECT_TRUE(contains(book.out, c)) << c;
    EXPECT_TRUE(contains(book.out, "Từ chối "));

    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

TEST_F(RegisterForms, AnUnreadyPrinterIsNamedAndNothingIsJournalled)
{
    start();
    auto d = ctl_json({"dossier", "receive", "--procedure", "2.000001.H38", "--name", "Hồ Văn Em"});
    auto out = run({bin_dir() + "/motcua-sim", "--socket", dir.file("sim.sock"), "printer-state", "quay-1", "paper_out"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    auto refused = ctl({"dossier", "receipt", d["code"]});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_TRUE(contains(refused.err, "paper_out")) << refused.err;
    EXPECT_TRUE(contains(refused.err, "printer_unavailable")) << refused.err;
    auto unknown = ctl({"dossier", "receipt", d["code"], "--printer", "nowhere"});
    EXPECT_TRUE(contains(unknown.err, "unknown_printer")) << unknown.err;
    EXPECT_EQ(query_value(dir.file("motcua.db"), "SELECT count(*) FROM journal WHERE kind = 'dossier.form_printed'"),
              "0");
}

} // namespace

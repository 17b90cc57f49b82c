#pragma once

// One dossier (hồ sơ) of the register: the superset of the columns of the register book
// (TT 03/2025 Mẫu 07, formerly TT 01/2018 Mẫu 06) and its local variants, plus what the
// statistics need (domain.md §4, docs/register.md).
// Plain data. Times are the office's local time to the minute, as printed in the register.

#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

// How the dossier was submitted (QĐ 766 numbering).
enum class Channel
{
    direct = 1, // trực tiếp
    online = 2, // trực tuyến
    postal = 3  // bưu chính công ích
};

// How the result goes back to the applicant.
enum class Delivery
{
    desk,   // at the desk
    post,   // by public postal service (waybill number)
    online  // electronic result
};

// National portal status codes.
enum class Status
{
    submitted_online = 1,
    received = 2,
    refused = 3,
    processing = 4,
    supplement_requested = 5, // clock paused
    financial_obligation = 6,
    withdrawn = 7,
    stopped = 8,
    decided = 9,   // result at the desk
    returned = 10  // result returned to the applicant
};

enum class Punctuality
{
    early,
    on_time,
    late
};

struct Applicant
{
    std::string name;
    std::string address;
    std::string phone;
    std::string id_number; // CCCD (12 digits) or older CMND (9 digits)
    std::string email;
};

// One step of the process-control slip (TT 03/2025 Mẫu 06, TT 01/2018 Mẫu 05): the
// dossier passes from one desk or agency to the next.
struct Handoff
{
    std::string from;
    std::string to;
    LocalDateTime at{};
    std::optional<LocalDateTime> due; // when the step was due, if the slip says
    std::optional<Punctuality> punctuality;
    std::string note;
};

// Mẫu 02: the applicant must supplement the dossier; the clock pauses from the request
// until the supplement is complete.
struct SupplementRequest
{
    LocalDateTime requested_at{};
    std::optional<LocalDateTime> completed_at;
    std::string reason;
    std::vector<std::string> missing;      // the documents the applicant must bring
    std::optional<LocalDateTime> deadline; // by when (the applicant's deadline)
};

// Status 6: the applicant must pay a fee or tax (nghĩa vụ tài chính) before the result;
// the clock pauses from `from` until `to`.
struct ObligationPause
{
    LocalDateTime from{};
    std::optional<LocalDateTime> to;
    std::string reason;
};

// How much of the dossier went through the national online channels (QĐ 766 indicators;
// NĐ 42/2022: online "toàn trình" = full, "một phần" = partial).
enum class OnlineSubmission
{
    none = 0,
    partial = 1, // một phần
    full = 2     // toàn trình
};

// Mẫu 04: an apology with a new appointment. The original due time stays the basis of
// the statistics.
struct Apology
{
    LocalDateTime at{};
    LocalDateTime new_due{};
    std::string reason;
};

struct Dossier
{
    std::string code;            // 000.17.22.H56-210531-0001
    int book = 0;                // Quyển số (0: not assigned)
    int row = 0;                 // Số thứ tự in the book, consecutive per book and year
    std::string procedure_code;  // mã TTHC
    std::string procedure_name;
    std::string field;           // lĩnh vực
    int sets = 1;                // số bộ hồ sơ
    Applicant applicant;
    std::string receiving_unit;  // where it was received
    std::string deciding_agency; // cơ quan chủ trì giải quyết
    std::string officer;         // receiving officer, for reports
    int counter = 0;             // quầy, 0 when unknown
    std::string service;         // queue service id of the ticket, if any
    Channel channel = Channel::direct;
    Delivery delivery = Delivery::desk;
    std::string waybill;         // postal waybill of the result
    Status status = Status::received;

    std::optional<LocalDateTime> submitted_at; // online or postal submission time
    LocalDateTime received_at{};               // valid receipt: the clock starts
    std::optional<LocalDateTime> due_at;       // hẹn trả, the basis of the statistics
    // The processing time applied (from the procedure version in force at receipt).
    std::optional<int> processing_days;
    std::optional<int> processing_hours;
    bool same_day = false;

    std::optional<LocalDateTime> transferred_at; // sent to the deciding agency
    std::optional<LocalDateTime> result_at;      // result back from it (decided)
    std::optional<LocalDateTime> returned_at;    // result returned to the applicant
    std::optional<LocalDateTime> closed_at;      // refused, withdrawn or stopped (status 3/7/8)
    std::string close_reason;                    // why it was refused, withdrawn or stopped

    // What the receipt slip lists (TT 03/2025 Mẫu 01): the documents received (thành phần
    // hồ sơ) and the fees due, as the desk wrote them (default: the catalogue's).
    std::vector<std::string> documents;
    std::string fee; // "Lệ phí 8.000 đồng"; empty: none

    // QĐ 766 fields, recorded per dossier and reported per period.
    OnlineSubmission online = OnlineSubmission::none;
    bool online_payment = false;    // fees paid online
    bool digitised = false;         // số hóa at receipt
    bool result_electronic = false; // result issued electronically

    std::vector<Handoff> handoffs;
    std::vector<SupplementRequest> supplements;
    std::vector<Apology> apologies;
    std::vector<ObligationPause> obligations;
    std::optional<std::int64_t> ticket_id; // queue ticket it came from
    std::string notes;
};

std::string_view to_string(Channel c);   // "1", "2", "3"
std::string_view to_string(Delivery d);  // "desk", "post", "online"
std::string_view to_string(Status s);    // "received", ...
std::string_view to_string(Punctuality p);
std::optional<Channel> channel_from(std::string_view text);   // "1" | "2" | "3"
std::optional<Delivery> delivery_from(std::string_view text); // "desk" | "post" | "online"
std::optional<Status> status_from_code(int code);              // 1..10
std::string_view to_string(OnlineSubmission o);                 // "none", "partial", "full"
std::optional<OnlineSubmission> online_from(std::string_view text); // "none"|"0", "partial"|"1", "full"|"2"
// Refused (3), withdrawn (7) or stopped (8): closed without a result.
bool is_closed_status(Status s);

// Minutes since 1970-01-01 00:00 of the same local clock: differences are durations.
std::int64_t to_minutes(LocalDateTime t);
LocalDateTime from_minutes(std::int64_t minutes);
// "2025-07-01 07:30"
std::string format_local_minute(LocalDateTime t);

// Checks of applicant fields shared by the import and the desk.
bool valid_phone(std::string_view s);
bool valid_id_number(std::string_view s);

} // namespace motcua::dossier

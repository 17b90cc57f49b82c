#include "modbus/error.hpp"

#include <modbus/modbus.h>

#include <cerrno>
#include <cstring>

namespace motcua::modbus
{

namespace
{

class Category : public std::error_category
{
  public:
    const char* name() const noexcept override { return "modbus"; }
    std::string message(int ev) const override
    {
        switch (ev)
        {
        case EMBXILFUN: return "illegal function (exception 1)";
        case EMBXILADD: return "illegal data address (exception 2)";
        case EMBXILVAL: return "illegal data value (exception 3)";
        case EMBXSFAIL: return "slave device failure (exception 4)";
        case EMBXACK: return "acknowledge (exception 5)";
        case EMBXSBUSY: return "slave device busy (exception 6)";
        case EMBXNACK: return "negative acknowledge (exception 7)";
        case EMBXMEMPAR: return "memory parity error (exception 8)";
        case EMBXGPATH: return "gateway path unavailable (exception 10)";
        case EMBXGTAR: return "gateway target failed to respond (exception 11)";
        case EMBBADCRC: return "invalid CRC";
        case EMBBADDATA: return "invalid data";
        case EMBBADEXC: return "invalid exception code";
        case EMBMDATA: return "too many data";
        case EMBBADSLAVE: return "response from an unexpected slave";
        case EMBUNKEXC: return "unknown exception code";
        case ETIMEDOUT: return "timeout";
        default: break;
        }
        char buf[128];
        // GNU strerror_r returns the message pointer (thread-safe, unlike strerror).
        return std::string(strerror_r(ev, buf, sizeof buf));
    }
};

} // namespace

const std::error_category& modbus_category()
{
    static const Category c;
    return c;
}

std::error_code errno_code(int errnum) { return {errnum, modbus_category()}; }

Fault classify(int errnum)
{
    if (errnum == 0)
        return Fault::none;
    if (errnum == ETIMEDOUT)
        return Fault::timeout;
    if (errnum == EMBBADCRC)
        return Fault::crc;
    if (errnum > MODBUS_ENOBASE && errnum <= MODBUS_ENOBASE + MODBUS_EXCEPTION_GATEWAY_TARGET)
        return Fault::exception;
    if (errnum == EMBBADDATA || errnum == EMBBADEXC || errnum == EMBMDATA || errnum == EMBBADSLAVE ||
        errnum == EMBUNKEXC)
        return Fault::protocol;
    return Fault::io;
}

std::string_view to_string(Fault f)
{
    switch (f)
    {
    case Fault::none: return "none";
    case Fault::timeout: return "timeout";
    case Fault::crc: return "crc";
    case Fault::exception: return "exception";
    case Fault::protocol: return "protocol";
    case Fault::io: return "io";
    }
    return "none";
}

} // namespace motcua::modbus

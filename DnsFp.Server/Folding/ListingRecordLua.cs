using DnsFp.Contract;

namespace DnsFp.Server.Folding;

/// <summary>
/// <see cref="ListingRecord"/>'s packing and <see cref="ListingRecord.Observe"/> as Lua functions for the fold script,
/// written from the same constants so the two cannot drift (DnsFp.Tests/Server/Folding/ListingRecordLuaTests.cs runs
/// both on the same inputs in a real Redis). Uses Redis' bundled LuaBitOp, whose results are signed 32-bit: exactly
/// the stored form. <c>record_observe(old, label, day, source, today)</c>: old is the stored value or false.
/// </summary>
internal static class ListingRecordLua
{
    public static readonly string Functions = $$"""
        local function record_observe(old, label, day, source, today)
          if day > today then day = today end
          if not old then
            return bit.bor(label, bit.lshift(bit.band(day, {{ListingRecord.DayModulus - 1}}), {{ListingRecord.DayShift}}), bit.lshift(source, {{ListingRecord.SourceShift}}))
          end
          old = tonumber(old)
          local olabel = bit.band(old, {{ListingRecord.MaxLabelId}})
          local oday = bit.band(bit.rshift(old, {{ListingRecord.DayShift}}), {{ListingRecord.DayModulus - 1}})
          local osources = bit.band(bit.rshift(old, {{ListingRecord.SourceShift}}), {{(1 << ListingRecord.SourceBits) - 1}})
          local oweeks = bit.rshift(old, {{ListingRecord.WeekShift}})
          local old_age = bit.band(today - oday, {{ListingRecord.DayModulus - 1}})
          local new_age = today - day
          if source == 0 and osources ~= 0 then                  -- a probe yields to a recent passive observation
            if old_age <= {{ListingRecord.PassiveWinsDays}} or new_age >= old_age then return old end
            return bit.bor(label, bit.lshift(bit.band(day, {{ListingRecord.DayModulus - 1}}), {{ListingRecord.DayShift}}))
          end
          local first_age = old_age + oweeks * 7
          local last_age, l, d = old_age, olabel, oday
          if new_age <= old_age then last_age, l, d = new_age, label, bit.band(day, {{ListingRecord.DayModulus - 1}}) end
          local weeks = math.floor((math.max(first_age, new_age) - last_age) / 7)
          if weeks > {{ListingRecord.MaxWeeks}} then weeks = {{ListingRecord.MaxWeeks}} end
          return bit.bor(l, bit.lshift(d, {{ListingRecord.DayShift}}), bit.lshift(bit.bor(osources, source), {{ListingRecord.SourceShift}}), bit.lshift(weeks, {{ListingRecord.WeekShift}}))
        end
        """;
}

using System.Buffers.Binary;
using System.Net;
using DnsFp.Contract;
using DnsFp.Server.Bands;
using DnsFp.Server.Follower;
using DnsFp.Server.Lifecycle;
using DnsFp.Server.Ratings;
using StackExchange.Redis;

namespace DnsFp.Server.Export;

/// <summary>
/// Reads what the server would answer, from Redis, with the same loader, listing policy (expiry, exclusions,
/// delistings), rating and TXT format the server uses.
/// </summary>
internal static class ExportSource
{
    public static async Task<List<ExportedListing>> ReadAsync(IDatabase db, BandOptions bands, ListingPolicy policy, CancellationToken stop)
    {
        var today = ListingRecord.DateOf(policy.Today);
        var labels = await VerdictWindow.ReadAsync(db, bands.WindowDays, today);
        var ratings = LabelRater.Rate(labels, bands.MinimumVerdicts);
        var byId = labels.ToDictionary(l => l.Id, l => (l.Label, l.Class));
        var addresses = (await IndexLoader.LoadAsync(db, stop)).Index;

        var result = new List<ExportedListing>
        {
            new(IPAddress.Parse("127.0.0.2"), BandTable.TestEntry, TxtFormat.TestEntryText),   // RFC 5782 test entries, IPv4 and IPv6:
            new(IPAddress.Parse("::ffff:127.0.0.2"), BandTable.TestEntry, TxtFormat.TestEntryText), // rspamd and Haraka probe both
        };
        Span<byte> v4 = stackalloc byte[4];
        Span<byte> v6 = stackalloc byte[16];
        foreach (var (address, record) in addresses.V4Entries())
        {
            int id = ListingRecord.LabelOf(record);
            if (!policy.IsListed(address, record) || !byId.TryGetValue(id, out var label)) continue;
            BinaryPrimitives.WriteUInt32BigEndian(v4, address);
            result.Add(new ExportedListing(new IPAddress(v4), ratings[id].Band, TxtFormat.Text(label.Label, label.Class, ratings[id])));
        }
        foreach (var (address, record) in addresses.V6Entries())
        {
            int id = ListingRecord.LabelOf(record);
            if (!policy.IsListed(address, record) || !byId.TryGetValue(id, out var label)) continue;
            BinaryPrimitives.WriteUInt128BigEndian(v6, address);
            result.Add(new ExportedListing(new IPAddress(v6), ratings[id].Band, TxtFormat.Text(label.Label, label.Class, ratings[id])));
        }
        return result;
    }
}

namespace DnsFp.Server.Wire;

/// <summary>The RR types dnsfp answers or must recognise (RFC 1035 3.2.2, RFC 6891, RFC 3596).</summary>
internal enum RecordType : ushort
{
    A = 1, NS = 2, CNAME = 5, SOA = 6, MX = 15, TXT = 16, AAAA = 28, OPT = 41, IXFR = 251, AXFR = 252, ANY = 255,
}

/// <summary>Classes (RFC 1035 3.2.4); IN is served, CH only for the server's identity.</summary>
internal static class RecordClass
{
    public const ushort IN = 1, CH = 3, ANY = 255;
}

namespace DnsFp.Server.Wire;

/// <summary>Response codes, RFC 1035 4.1.1 and RFC 6891 (BADVERS is 16: 0 in the header, 1 in the OPT upper bits).</summary>
internal enum Rcode : byte
{
    NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5,
}

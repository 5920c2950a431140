namespace DnsFp.Server.Commands;

/// <summary>Exit codes, from BSD sysexits.h so that scripts and systemd can tell failures apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int NotListed = 1;      // lookup: the address is not listed; relist: no such delisting
    public const int DataErr = 65;       // EX_DATAERR: a bad address, range, duration or reason on the command line
    public const int Unavailable = 69;   // EX_UNAVAILABLE: Redis could not be reached
    public const int Software = 70;      // EX_SOFTWARE: an internal error
    public const int Config = 78;        // EX_CONFIG: bad settings or zone files
}

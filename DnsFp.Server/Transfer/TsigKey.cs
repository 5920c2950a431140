using System.Security.Cryptography;
using DnsFp.Server.Wire;

namespace DnsFp.Server.Transfer;

/// <summary>One TSIG key (RFC 8945): its name, algorithm and secret, with the names in canonical wire form ready to hash.</summary>
internal sealed class TsigKey
{
    public TsigKey(string name, string algorithm, byte[] secret)
    {
        Name = name.TrimEnd('.').ToLowerInvariant();
        Algorithm = algorithm.TrimEnd('.').ToLowerInvariant();
        Secret = secret;
        NameWire = WireName.FromText(Name);
        AlgorithmWire = WireName.FromText(Algorithm);
        Hash = Algorithm switch
        {
            "hmac-sha256" => HashAlgorithmName.SHA256,
            "hmac-sha384" => HashAlgorithmName.SHA384,
            "hmac-sha512" => HashAlgorithmName.SHA512,
            _ => throw new FormatException($"TSIG key '{Name}': algorithm '{Algorithm}' is not supported (use hmac-sha256)"),
        };
        MacSize = Hash == HashAlgorithmName.SHA256 ? 32 : Hash == HashAlgorithmName.SHA384 ? 48 : 64;
    }

    public string Name { get; }
    public string Algorithm { get; }
    public byte[] Secret { get; }
    public byte[] NameWire { get; }
    public byte[] AlgorithmWire { get; }
    public HashAlgorithmName Hash { get; }
    public int MacSize { get; }

    public IncrementalHash NewHmac() => IncrementalHash.CreateHMAC(Hash, Secret);
}

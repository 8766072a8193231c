using System.Net;
using System.Net.Sockets;

namespace ContentWatch.Core.Outbound;

/// <summary>Says whether an address may be connected to: public addresses always, others only when configuration allows them.</summary>
public sealed class OutboundAddressPolicy
{
    /// <summary>Loopback, private, shared, link-local, multicast, reserved and documentation ranges (IPv4 and IPv6).</summary>
    public static readonly IReadOnlyList<IPNetwork> NonPublic =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
            "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(n => IPNetwork.Parse(n)),
    ];

    private readonly bool _allowPrivate;
    private readonly IReadOnlyList<IPNetwork> _allowed;

    public OutboundAddressPolicy(OutboundOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowPrivate = options.AllowPrivateNetworks;
        _allowed = options.AllowedNetworks.Select(n => IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"{OutboundOptions.Section}:AllowedNetworks holds '{n}', which is not a network in CIDR form (10.20.0.0/16).")).ToList();
    }

    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_allowPrivate || !NonPublic.Any(n => n.Contains(address)))
        {
            return true;
        }

        return _allowed.Any(n => n.Contains(address));
    }

    /// <summary>
    /// True when <paramref name="host"/> is an address literal, or a name that is loopback by definition (<c>localhost</c>,
    /// RFC 6761), that <see cref="IsAllowed"/> refuses. Other names are checked when connecting.
    /// </summary>
    public bool RefusesLiteral(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var literal = host.Trim('[', ']').TrimEnd('.');
        if (literal.Equals("localhost", StringComparison.OrdinalIgnoreCase) || literal.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return !IsAllowed(IPAddress.Loopback);
        }

        return IPAddress.TryParse(literal, out var address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !IsAllowed(address);
    }
}

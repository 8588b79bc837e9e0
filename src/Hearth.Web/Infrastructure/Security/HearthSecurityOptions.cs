namespace Hearth.Web.Infrastructure.Security;

/// <summary>Settings of section <c>Hearth:Security</c>. The defaults are the secure ones.</summary>
public sealed class HearthSecurityOptions
{
    public const string Section = "Hearth:Security";

    /// <summary>Whether every user must complete a TOTP second factor. Only a demo turns this off.</summary>
    public bool RequireSecondFactor { get; set; } = true;

    /// <summary>A session unused for this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Sign-in and second-factor requests allowed per client address per minute; more get 429.</summary>
    public int SignInRequestsPerMinute { get; set; } = 20;

    /// <summary>Failed password or code attempts before the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

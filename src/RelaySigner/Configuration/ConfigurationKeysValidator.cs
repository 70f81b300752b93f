using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RelaySigner.Configuration;

/// <summary>Fails the start with every <c>Relay:</c> key that no option binds (<see cref="UnknownSettings"/>).</summary>
public sealed class ConfigurationKeysValidator(IConfiguration configuration) : IValidateOptions<ConfigurationKeysCheck>
{
    public ValidateOptionsResult Validate(string? name, ConfigurationKeysCheck options) =>
        UnknownSettings.Find(configuration) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}

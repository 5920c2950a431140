using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DnsFp.Contract;

/// <summary>How both programs check a settings section: with its compile-time generated validator, at start-up.</summary>
public static class ValidatedOptions
{
    /// <summary>Registers <paramref name="validator"/> (an [OptionsValidator] class) and runs it when the host starts.</summary>
    public static OptionsBuilder<TOptions> ValidateOnStartWith<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(this OptionsBuilder<TOptions> options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        options.Services.AddSingleton(validator);
        return options.ValidateOnStart();
    }
}

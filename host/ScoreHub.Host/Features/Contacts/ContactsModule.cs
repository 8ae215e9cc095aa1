using FluentValidation;
using ScoreHub.Host.Core.Contacts;

namespace ScoreHub.Host.Features.Contacts;

/// <summary>Contacts: property upserts, reads, and erasure.</summary>
internal static class ContactsModule
{
    public static IServiceCollection AddContacts(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<UpsertContact>, UpsertContactValidator>();
        services.AddSingleton<ContactErasure>();
        return services;
    }
}

import NextAuth from 'next-auth';
import AzureAD from 'next-auth/providers/microsoft-entra-id';

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [AzureAD({ clientId: process.env.AUTH_AZURE_AD_ID, clientSecret: process.env.AUTH_AZURE_AD_SECRET, issuer: process.env.AUTH_AZURE_AD_ISSUER })],
  callbacks: {
    // Used by middleware.ts: any matched request without a session is redirected to sign-in
    authorized: ({ auth }) => Boolean(auth?.user),
  },
});

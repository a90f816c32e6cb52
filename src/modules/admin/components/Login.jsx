// venture-crm sign-in for the back office: username (or email) and password, then — for users with
// two-factor authentication — a second step asking for the authenticator code or a recovery code.
// The server keeps which step the browser is at in its session; `errorMessage` says what to show.
import React from 'react';
import { Box, Button, FormGroup, H2, Input, Label, MessageBox, Text } from '@adminjs/design-system';

const MESSAGES = {
  invalidCredentials: 'Wrong username or password, or the account is locked or deactivated.',
  twoFactorRequired: '',
  invalidTwoFactorCode:
    'That code is not valid. Enter the current 6-digit code from your authenticator app, or an unused recovery code.',
  twoFactorExpired: 'The sign-in took too long. Please enter your password again.',
  tooManyRequests: 'Too many sign-in attempts from this address. Wait a minute and try again.',
  sessionEnded: 'Your session has ended. Please sign in again.',
  invalidInput: 'The username or password contains characters that cannot be used. Please type them again.',
};

const CODE_STEP = ['twoFactorRequired', 'invalidTwoFactorCode'];

function SetupRequired() {
  return (
    <Box data-testid="two-factor-setup-required">
      <MessageBox my="lg" variant="info" message="Two-factor authentication is required" />
      <Text mb="lg">
        This server requires every user to protect their account with an authenticator app before using the
        back office. Set it up once through the API, then sign in here with your password and code:
      </Text>
      <Box as="ol" pl="xl" mb="lg" style={{ listStyle: 'decimal', lineHeight: 1.6 }}>
        <li>
          Sign in: <code>POST /api/auth/login</code> with your username and password.
        </li>
        <li>
          <code>POST /api/auth/2fa/setup</code> and scan the QR code with your authenticator app.
        </li>
        <li>
          <code>POST /api/auth/2fa/enable</code> with the current code; store the recovery codes safely.
        </li>
      </Box>
      <Text mb="lg">
        The API is documented at <a href="/api/docs">/api/docs</a>. An admin can help you through it.
      </Text>
      <Button as="a" href={window.location.pathname} variant="outlined">
        Back to sign-in
      </Button>
    </Box>
  );
}

const Login = () => {
  const { action, errorMessage } = window.__APP_STATE__ || {};
  const codeStep = CODE_STEP.includes(errorMessage);
  // Only the server's codes are shown, as our own sentences: never a text that came with the request.
  const message = errorMessage
    ? Object.hasOwn(MESSAGES, errorMessage)
      ? MESSAGES[errorMessage]
      : MESSAGES.invalidCredentials
    : '';
  return (
    <Box flex alignItems="center" justifyContent="center" height="100%" style={{ background: '#f3f5f8' }}>
      <Box
        bg="white"
        p="xxl"
        width={['100%', '420px']}
        style={{ borderRadius: 8, boxShadow: '0 8px 30px rgba(16, 24, 40, 0.08)' }}
      >
        <Box mb="xl" flex alignItems="center" style={{ gap: 10 }}>
          <img src="/admin/brand/logo.svg" alt="" width="32" height="32" />
          <H2 mb="0" style={{ fontWeight: 500 }}>
            venture-crm
          </H2>
        </Box>
        {errorMessage === 'twoFactorSetupRequired' ? (
          <SetupRequired />
        ) : (
          <Box as="form" action={action} method="POST" data-testid="login-form">
            {message ? <MessageBox my="lg" message={message} variant="danger" /> : null}
            {codeStep ? (
              <>
                <Text mb="lg">
                  Two-factor authentication is on for your account. Enter the 6-digit code from your
                  authenticator app, or one of your recovery codes.
                </Text>
                <FormGroup>
                  <Label required htmlFor="code">
                    Authentication code
                  </Label>
                  <Input
                    id="code"
                    name="code"
                    autoFocus
                    autoComplete="one-time-code"
                    inputMode="text"
                    placeholder="123456"
                    width="100%"
                  />
                </FormGroup>
              </>
            ) : (
              <>
                <FormGroup>
                  <Label required htmlFor="username">
                    Username or email
                  </Label>
                  <Input id="username" name="username" autoFocus autoComplete="username" width="100%" />
                </FormGroup>
                <FormGroup>
                  <Label required htmlFor="password">
                    Password
                  </Label>
                  <Input
                    id="password"
                    type="password"
                    name="password"
                    autoComplete="current-password"
                    width="100%"
                  />
                </FormGroup>
              </>
            )}
            <Box mt="xl" flex justifyContent="space-between" alignItems="center">
              {codeStep ? <a href={action}>Start over</a> : <span />}
              <Button type="submit" variant="contained">
                {codeStep ? 'Verify' : 'Sign in'}
              </Button>
            </Box>
          </Box>
        )}
      </Box>
    </Box>
  );
};

export default Login;

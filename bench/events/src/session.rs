//! Signing in and calling server functions as a browser does: same-origin
//! form posts that answer JSON, the session in the `equipflow` cookie.
use anyhow::{Context, bail};
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};

#[derive(Clone)]
pub struct Session {
    http: reqwest::Client,
    origin: String,
    cookie: String,
}

impl Session {
    pub async fn sign_in(
        http: &reqwest::Client,
        origin: &str,
        username: &str,
        password: &str,
    ) -> anyhow::Result<Self> {
        let response = http
            .post(format!("{origin}/api/rpc/auth/login"))
            .header("origin", origin)
            .header(ACCEPT, "application/json")
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .with_context(|| format!("signing in as {username}"))?;
        if !response.status().is_success() {
            bail!(
                "signing in as {username} answered {}: {}",
                response.status(),
                response.text().await.unwrap_or_default()
            );
        }
        let cookie = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("equipflow="))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
            .context("no equipflow cookie after signing in")?;
        Ok(Self {
            http: http.clone(),
            origin: origin.to_owned(),
            cookie: format!("equipflow={cookie}"),
        })
    }

    /// POSTs a server function; the JSON answer of a 2xx, else an error naming it.
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> anyhow::Result<serde_json::Value> {
        let response = self
            .http
            .post(format!("{}/api/rpc/{endpoint}", self.origin))
            .header("origin", &self.origin)
            .header(ACCEPT, "application/json")
            .header(COOKIE, &self.cookie)
            .form(form)
            .send()
            .await?;
        let status = response.status();
        let body = response.text().await?;
        if !status.is_success() {
            bail!("{endpoint} answered {status}: {body}");
        }
        Ok(serde_json::from_str(&body)?)
    }

    /// Opens the notification stream.
    pub async fn stream(&self) -> anyhow::Result<reqwest::Response> {
        let response = self
            .http
            .get(format!("{}/api/notifications/stream", self.origin))
            .header(ACCEPT, "text/event-stream")
            .header(COOKIE, &self.cookie)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("the notification stream answered {}", response.status());
        }
        Ok(response)
    }
}

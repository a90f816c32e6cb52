// Record actions that change data are sent as POSTs from their page: AdminJS would otherwise call them with a
// GET, which a cross-site link could trigger. Shared by ConfirmAction and StageAction.
import { useState } from 'react';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const api = new ApiClient();

/**
 * `send(data)` POSTs the record action with `data` and hands the answer to AdminJS (its notice, its redirect);
 * `failed` says why it did not go (the server's message, or `fallback`), and the buttons come back. With
 * `stayOnErrorNotice`, an answer whose notice is an error is shown on the page as well.
 */
export function useRecordPost({ action, resource, record }, fallback, { stayOnErrorNotice = false } = {}) {
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState('');
  const onResponse = useActionResponseHandler();
  const send = async (data) => {
    setSending(true);
    setFailed('');
    try {
      const response = await api.recordAction({
        resourceId: resource.id,
        recordId: record.id,
        actionName: action.name,
        method: 'post',
        data,
      });
      onResponse(response);
      if (stayOnErrorNotice && response.data?.notice?.type === 'error') {
        setFailed(response.data.notice.message);
        setSending(false);
      }
    } catch (err) {
      setFailed(err?.response?.data?.message ?? fallback);
      setSending(false);
    }
  };
  return { sending, failed, send };
}

from django import forms


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Ghi chú (không bắt buộc ở lần công bố đầu)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
